// Browser tests: Debian's Chromium through puppeteer-core (the chrome launcher keeps
// IndexedDB on disk, which the persistence tests need), one file at a time because
// the machine has 2 cores and the fault-injecting model server is shared state.
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { startModelServer } from './test/server/model-server.mjs';
import { rawFiles, crossOriginIsolation } from './test/server/middleware.mjs';
import { heapCommand } from './test/server/heap-command.mjs';
import { sharedWorkerCommand } from './test/server/shared-worker-command.mjs';
import { startOpenAIServer } from './test/server/openai-server.mjs';
import { srcOnlyCoverage } from './test/server/coverage-src-only.mjs';

const modelServer = await startModelServer();
const remoteServer = await startOpenAIServer();
process.on('exit', () => {
  modelServer.close();
  void remoteServer.close();
});

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 20 * 60_000,
  testFramework: { config: { timeout: 120_000 } },
  // `wtr --coverage` (npm run test:browser): V8 coverage of the built files the pages load,
  // mapped back to src/ through the rollup source maps and narrowed to src/ (the bundles
  // inline third-party code). Puppeteer's page coverage does not follow the SDK into its
  // Web Worker, so the code that runs only in the worker is not measured here.
  coverageConfig: { include: ['dist/**/*.js'], reporters: ['text-summary'], reportDir: 'coverage/browser' },
  reporters: [defaultReporter(), srcOnlyCoverage()],
  browserStartTimeout: 60_000,
  middleware: [crossOriginIsolation(), rawFiles(['/dist/', '/node_modules/onnxruntime-web/dist/', '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/'], undefined, /^\/dist\/edgewise\.ai-sdk\.js$/)],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022' }),
    heapCommand(),
    sharedWorkerCommand(),
    {
      // Tests learn where the model server and the OpenAI-compatible server listen from this virtual module.
      name: 'edgewise-env',
      serve(context) {
        if (context.path === '/__env.js') {
          return {
            body: `export const MODEL_SERVER = ${JSON.stringify(modelServer.url)};\nexport const REMOTE_SERVER = ${JSON.stringify(remoteServer.url)};`,
            type: 'js',
          };
        }
        return undefined;
      },
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-webgpu',
        ],
      },
    }),
  ],
};
