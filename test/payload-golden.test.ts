// Golden vectors of the payload format: today's code writes the committed
// bytes exactly, and two other decoders (@msgpack/msgpack, Debian's
// python3-msgpack) read them to objects written out here by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { decode } from '@msgpack/msgpack';
import { QuantileSketch } from '../src/sketch/quantile-sketch.js';
import { decodeEnvelope } from '../src/envelope/envelope.js';
import { parseCommand } from '../src/envelope/commands.js';
import { goldenPayloads } from './helpers/payload-inputs.js';
import { plainOf, walkMsgpack } from './helpers/msgpack-walk.js';
import { repoPath } from './helpers/paths.js';

const dir = repoPath('test', 'fixtures', 'payloads');
const fixture = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}.msgpack`));
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const bin = (bytes: Uint8Array) => ({ $bin: hex(bytes) });
/** Uint32 little-endian, byte by byte. */
const le32 = (counts: number[]) => bin(new Uint8Array(counts.flatMap((c) => [c & 255, (c >>> 8) & 255, (c >>> 16) & 255, c >>> 24])));
const sketch = (values: number[]) => bin(values.reduce((s, x) => s.update(x), new QuantileSketch({ k: 32 })).serialize());
const envelope = (kind: string, seq: number, cam: string | null, body: unknown) => ({
  v: 1, dev: 'box-0042', cam, bdSeq: 7, seq, ts: 1764547200000 + seq, kind, hist: false, body,
});

const EXPECTED: Record<string, unknown> = {
  state: envelope('state', 0, null, { online: true, bdSeq: 7, ts: 1764547200000 }),
  birth: envelope('birth', 1, null, {
    agentVersion: '0.1.0', site: 'plant-7',
    cameras: [{ id: 'dock-door', model: 'detector@3.1.0', baseline: 'sha256:00ff', decodeScale: 2, step: 1 }],
    catalogue: 1, configHash: 'sha256:c0ffee',
  }),
  summary: envelope('summary', 2, 'dock-door', {
    camera: 'dock-door', site: 'plant-7', model: 'detector@3.1.0', baseline: 'sha256:00ff', catalogue: 1,
    frames: { from: 1200, to: 1224, count: 3 }, window: { size: 300 },
    // moments [n, mean, m2, min, max]; test [statistic, pvalue, adjustedPvalue, effect, direction, significant] (+ kind in tests)
    features: {
      luma_mean: { moments: [3, 110, 200, 100, 120], sketch: sketch([100, 110, 120]), test: [0.5, 0.001, 0.004, -1.25, 'down', true] },
      sharpness: { moments: [3, 52.5, 8, 50.5, 54.5], sketch: sketch([50.5, 52.5, 54.5]) },
    },
    tests: { hue: [0.25, null, null, 0.25, null, false, 'histogram'] },
    alert: { state: 'pending', id: 'dock-door:1224' },
    histograms: { luma: le32(Array.from({ length: 256 }, (_, i) => i)), hue: le32(Array.from({ length: 36 }, (_, i) => 1000 + i)) },
  }),
  alert: envelope('alert', 3, 'dock-door', {
    id: 'dock-door:1224', camera: 'dock-door', site: 'plant-7', state: 'firing', previousState: 'pending', frame: 1274, timeMs: 50960,
    startFrame: 1224, startTimeMs: 48960, cause: 'low-light', causeRevised: false, baseline: 'sha256:00ff', model: 'detector@3.1.0',
    findings: [
      { feature: 'luma_mean', statistic: 0.5, pvalue: 0.004, effect: -1.25, shift: -45, relativeChange: -0.375, direction: 'down', unit: 'level (0-255)', description: 'luma_mean \u221238% (level 0-255)', implicated: true },
      { feature: 'hue', statistic: 0.25, pvalue: null, effect: 0.25, shift: null, relativeChange: null, direction: null, unit: 'JS distance', description: 'hue JS distance 0.25', implicated: false },
    ],
  }),
  reply: envelope('reply', 4, null, { command: 'summary-now', requestId: 'req-1', ok: true, error: null, result: { cameras: ['dock-door'] } }),
  'cmd-rebaseline': { camera: 'dock-door', requestId: 'req-2', baseline: { $bin: '4457424c010203' } },
  'cmd-reload': {},
  'cmd-summary-now': { camera: 'dock-door', requestId: 'req-1' },
  'cmd-rebirth': { requestId: 'req-3' },
};

const golden = suite('payload golden vectors');
golden('the fixture folder holds exactly the expected vectors', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.msgpack')).map((f) => f.slice(0, -8)).sort();
  assert.equal(files, Object.keys(EXPECTED).sort());
});
golden('re-encoding the fixed inputs gives the committed bytes exactly', () => {
  for (const [name, bytes] of Object.entries(goldenPayloads())) assert.is(hex(bytes), hex(fixture(name)), name);
});
golden('@msgpack/msgpack decodes each fixture to the expected object, key order included', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const decoded = plainOf(decode(fixture(name)));
    assert.equal(decoded, expected, name);
    assert.is(JSON.stringify(decoded), JSON.stringify(expected), `${name}: key order`);
  }
});
golden('only standard types: no extensions, string map keys, times and counters as integers', () => {
  for (const name of Object.keys(EXPECTED)) {
    const { types } = walkMsgpack(fixture(name));
    for (const t of types) assert.ok(['int', 'str', 'map', 'array', 'nil', 'bool', 'bin', 'float64'].includes(t), `${name}: ${t}`);
  }
  // ts = 1764547200002 needs 41 bits: an int64 (0xd3), not a float64.
  const bytes = fixture('summary');
  const at = hex(bytes).indexOf(hex(new TextEncoder().encode('ts')));
  assert.is(hex(bytes).slice(at + 4, at + 6), 'd3');
});
golden('our own decoders read every fixture', () => {
  for (const name of ['state', 'birth', 'summary', 'alert', 'reply']) assert.is(decodeEnvelope(fixture(name)).kind, name);
  for (const name of ['rebaseline', 'reload', 'summary-now', 'rebirth']) assert.is(parseCommand(name, fixture(`cmd-${name}`), { maxBytes: 1024 }).name, name);
});
golden('Debian python3-msgpack (strict map keys) decodes each fixture to the expected object', () => {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import msgpack'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`  NOTICE: skipped: ${python} has no msgpack module (apt-get install python3-msgpack)`);
    return;
  }
  const run = spawnSync(python, [repoPath('scripts', 'payload-check.py'), dir], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), JSON.parse(JSON.stringify(EXPECTED)));
});
golden.run();
