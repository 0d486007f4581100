// The `cpu` bench part's float32 reference model: the same shape, seed and weights as the
// bench fixture's q4 file (test/fixtures/generate.ts writes only q4 for the bench shape),
// written by the same graph builder as its fp32 variant, under test/bench/.fixtures/<model>/.
// Models whose fixture folder already has an fp32 file (tiny-llama) need nothing here.
//   npx tsx test/bench/node/fp32-fixture.ts [model]     (run.mjs runs it for the cpu part)
// Prints the path of the fp32 file, relative to the repository root, on stdout.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLlamaModel } from '../../fixtures/llama-graph.js';
import { writeModel } from '../../fixtures/onnx-encode.js';
import { SMOLLM2_135M_SHAPE, TINY_LLAMA, TINY_LLAMA_EXTDATA, type ModelShape } from '../../fixtures/shapes.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const SHAPES: ModelShape[] = [SMOLLM2_135M_SHAPE, TINY_LLAMA, TINY_LLAMA_EXTDATA];

export function fp32Fixture(name: string, log: (line: string) => void): string {
  const fixture = join(ROOT, 'test', 'fixtures', 'out', name);
  const inFixture = join(fixture, 'onnx', 'model.onnx');
  if (existsSync(inFixture)) return inFixture;
  const shape = SHAPES.find((s) => s.name === name);
  if (!shape) throw new Error(`no shape named ${name}`);
  const q4Stamp = join(fixture, '.fixture-stamp.json');
  if (!existsSync(q4Stamp)) throw new Error(`${relative(ROOT, fixture)} is missing: run \`npx tsx test/fixtures/generate.ts --bench\``);
  // Rebuilt whenever the fixture generator rebuilt the q4 folder (its stamp pins the weights).
  const stamp = JSON.stringify({ variant: 'fp32', q4: readFileSync(q4Stamp, 'utf8') });
  const dir = join(HERE, '..', '.fixtures', name);
  const out = join(dir, 'onnx', 'model.onnx');
  const stampPath = join(dir, '.stamp.json');
  if (existsSync(out) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return out;
  const t0 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeModel(out, buildLlamaModel({ ...shape, variants: ['fp32'] }, 'fp32'));
  writeFileSync(stampPath, stamp);
  log(`fp32-fixture: wrote ${relative(ROOT, out)} (${(statSync(out).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = fp32Fixture(process.argv[2] ?? 'smollm2-135m-shape', (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${relative(ROOT, path)}\n`);
}
