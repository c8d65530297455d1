// `npm run eval`: the scenario harness of issue 5. For every camera it builds
// the reference stretch, then runs every policy of eval/policies.ts over the
// stable streams and the drift scenarios, and writes eval/results/scenarios.{md,json}.
// Options: `npm run eval -- --help` (HELP below).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadKernels } from '../edge/library.js';
import { progressLine } from '../edge/progress-line.js';
import { DEFAULT_VARIATION } from './camera-stream.js';
import { DRIFT_SIZE } from './drift.js';
import { cachedFeatures, GENERATOR_VERSION } from './feature-cache.js';
import { featureColumn, FEATURE_NAMES } from './feature-stream.js';
import { NAIVE_DEFAULTS } from './naive-policy.js';
import { POLICIES } from './policies.js';
import type { EvalReference } from './policy.js';
import { markdownReport, type DriftRow, type EvalReport, type StableRow } from './report.js';
import * as S from './scenarios.js';
import { runPolicy, scoreDrift, scoreStable } from './score.js';

const HELP = `Usage: npm run eval [-- options]   (or node dist/eval/run.js [options])

The scenario harness of issue 5 (docs/scenarios.md): stable camera streams and
injected drifts rendered from the sample photos, the driftwatch policy and the
naive one run side by side; writes scenarios.md and scenarios.json.

Options:
  --stable-frames <n>    stable frames in all, spread over the cameras (default ${S.DEFAULT_STABLE_FRAMES})
  --drift-cameras <a,b>  cameras whose drift scenarios run (default ${S.DEFAULT_DRIFT_CAMERAS.join(',')})
  --no-cache             measure every frame again instead of reading eval/cache/
  --out <dir>            where the results go (default eval/results/)
  -h, --help             this text`;

const { values: options } = (() => {
  try {
    return parseArgs({
      options: {
        'stable-frames': { type: 'string' }, 'drift-cameras': { type: 'string' }, 'no-cache': { type: 'boolean', default: false },
        out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`npm run eval: ${(error as Error).message}\n\n${HELP}\n`);
    process.exit(2);
  }
})();
if (options.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const started = performance.now();
const stableFrames = Number(options['stable-frames'] ?? S.DEFAULT_STABLE_FRAMES);
if (!Number.isInteger(stableFrames) || stableFrames < 0) throw new RangeError(`--stable-frames must be an integer >= 0; got ${options['stable-frames']}`);
const driftCameras = (options['drift-cameras'] ?? S.DEFAULT_DRIFT_CAMERAS.join(',')).split(',').filter(Boolean);
const cacheDir = options['no-cache'] ? null : undefined;
const outDir = options.out ?? fileURLToPath(new URL('../../eval/results/', import.meta.url));

const kernels = await loadKernels();
let generatedFrames = 0, cachedFrames = 0;

async function features(name: string, spec: Parameters<typeof cachedFeatures>[1]): Promise<Float64Array> {
  const t0 = performance.now();
  let last = 0;
  const { values, fromCache } = await cachedFeatures(name, spec, {
    kernels, dir: cacheDir,
    onFrame: (done) => {
      if (done - last >= 1000 || done === spec.frames) {
        last = done;
        process.stderr.write(`\r${name}: ${progressLine(done, spec.frames, performance.now() - t0)}   `);
      }
    },
  });
  if (fromCache) cachedFrames += spec.frames;
  else generatedFrames += spec.frames;
  process.stderr.write(`\r${name}: ${spec.frames} frames ${fromCache ? 'from the cache' : `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`}${' '.repeat(40)}\n`);
  return values;
}

const references = new Map<string, EvalReference>();
for (const camera of S.cameras()) {
  const values = await features(`reference-${camera.name}`, camera.reference);
  const series = Object.fromEntries(FEATURE_NAMES.map((n) => [n, featureColumn(values, n)]));
  references.set(camera.name, { camera: camera.name, fps: S.FPS, frames: camera.reference.frames, featureNames: FEATURE_NAMES, series });
}

const stable: StableRow[] = [], drift: DriftRow[] = [];
for (const scenario of S.scenarios({ stableFrames, driftCameras })) {
  const values = await features(scenario.name, scenario.spec);
  for (const factory of POLICIES) {
    const { transitions, ms } = runPolicy(factory.create(references.get(scenario.camera)!), values, S.FPS);
    if (scenario.drift) {
      const { kind, onset } = scenario.drift;
      drift.push({ scenario: scenario.name, camera: scenario.camera, kind, onset, policy: factory.name, score: scoreDrift(transitions, scenario.drift), policyMs: ms });
    } else {
      stable.push({ scenario: scenario.name, camera: scenario.camera, policy: factory.name, score: scoreStable(transitions, scenario.spec.frames), policyMs: ms });
    }
  }
}

const report: EvalReport = {
  command: `npm run eval${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  parameters: {
    generatorVersion: GENERATOR_VERSION, fps: S.FPS, frame: `${S.FRAME_WIDTH}x${S.FRAME_HEIGHT} RGB`, variation: DEFAULT_VARIATION,
    referenceFrames: S.REFERENCE_FRAMES, stableFramesTotal: stableFrames, driftCameras,
    driftStart: S.DRIFT_START, rampFrames: S.RAMP_FRAMES, driftStreamFrames: S.DRIFT_STREAM_FRAMES, driftSize: DRIFT_SIZE,
    naive: NAIVE_DEFAULTS, policies: POLICIES.map((p) => p.name), simdKernels: kernels.simd,
  },
  stable, drift,
  wallSeconds: (performance.now() - started) / 1000,
  generatedFrames, cachedFrames,
};
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'scenarios.json'), `${JSON.stringify(report, null, 2)}\n`);
const markdown = markdownReport(report);
await writeFile(join(outDir, 'scenarios.md'), `${markdown}\n`);
process.stdout.write(`${markdown}\n`);
