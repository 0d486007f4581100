// A web-test-runner reporter that narrows browser coverage to the SDK's own sources. The
// built files carry source maps, so V8 coverage of dist/*.js is mapped back to src/*.ts,
// and also to the third-party code the bundles inline (libphonenumber-js, ibantools,
// comlink, ...), which would otherwise make up a third of the total. The runner's own
// summary (`coverageConfig.reporters`) and "Code coverage: N %" line are written after
// every reporter's onTestRunFinished, so filtering here narrows both.
import { join, sep } from 'node:path';

export function srcOnlyCoverage({ root = process.cwd() } = {}) {
  const src = join(root, 'src') + sep;
  return {
    onTestRunFinished({ testCoverage }) {
      if (!testCoverage) return;
      testCoverage.coverageMap.filter((file) => file.startsWith(src));
      testCoverage.summary = testCoverage.coverageMap.getCoverageSummary().data;
    },
  };
}
