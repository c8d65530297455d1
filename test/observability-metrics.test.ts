// The agent's metrics, scraped over a real loopback HTTP server and read by
// an independent parser of the exposition format.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, register as globalRegistry, Registry } from 'prom-client';
import { AgentMetrics } from '../edge/observability/metrics.js';
import { REJECT_REASONS } from '../edge/observability/metric-labels.js';
import type { CheckResult } from '../src/policy/check.js';
import type { FeatureTest } from '../src/policy/feature-test.js';
import { ALERT_STATES } from '../src/policy/alert-types.js';
import { parseExposition, sampleValue, type Family } from './helpers/exposition.js';
import { repoPath } from './helpers/paths.js';

async function serve(metrics: AgentMetrics): Promise<{ server: Server; url: string }> {
  const server = createServer(metrics.handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` };
}

async function scrape(metrics: AgentMetrics): Promise<Map<string, Family>> {
  const { server, url } = await serve(metrics);
  try {
    const response = await fetch(url);
    assert.is(response.status, 200);
    assert.is(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await response.text());
  } finally {
    server.close();
  }
}

function test(feature: string, kind: FeatureTest['kind'], statistic: number, pvalue: number | null, effect: number): FeatureTest {
  return {
    feature, kind, statistic, pvalue, adjustedPvalue: pvalue === null ? null : Math.min(1, pvalue * 3), effectiveSize: 30, effect,
    relativeChange: null, direction: null, windowMedian: null, baselineMedian: null, significant: false,
  };
}

const result = (tests: FeatureTest[]): CheckResult => ({ tests, significant: [], drift: false });

// Units the names of driftwatch's own metrics end in; the unitless ones are listed.
const UNIT_SUFFIX = /_(total|seconds|bytes|frames|messages|ratio)(_bucket|_sum|_count)?$/;
const UNITLESS = new Set(['driftwatch_feature_statistic', 'driftwatch_alert_state', 'driftwatch_mqtt_connected', 'driftwatch_baseline_info']);

const Metrics = suite('AgentMetrics');

Metrics('the scrape follows the format: HELP and TYPE for every family, prefixed snake-case names, units', async () => {
  const families = await scrape(new AgentMetrics({ cameras: ['cam0', 'yard'] }));
  assert.ok(families.size > 20, `only ${families.size} families`);
  for (const f of families.values()) {
    assert.match(f.name, /^driftwatch_[a-z0-9_]+$/);
    assert.ok(f.help && f.help.length > 0, `${f.name} has no HELP`);
    assert.ok(f.type, `${f.name} has no TYPE`);
    if (f.type === 'counter') assert.ok(f.name.endsWith('_total'), `counter ${f.name} must end in _total`);
    // A histogram with series has a +Inf bucket in each (Node's GC histogram has none until a GC runs).
    if (f.type === 'histogram' && (f.samples.length > 0 || f.name.startsWith('driftwatch_frame') || f.name.startsWith('driftwatch_check'))) {
      const buckets = f.samples.filter((s) => s.name === `${f.name}_bucket`);
      assert.ok(buckets.some((s) => s.labels.le === '+Inf'), `${f.name} has no +Inf bucket`);
      assert.is(buckets.filter((s) => s.labels.le === '+Inf').length, f.samples.filter((s) => s.name === `${f.name}_count`).length);
    }
  }
  const own = [...families.values()].filter((f) => !f.name.startsWith('driftwatch_process_') && !f.name.startsWith('driftwatch_nodejs_'));
  assert.equal(own.map((f) => f.name).sort(), [
    'driftwatch_alert_state', 'driftwatch_baseline_info', 'driftwatch_check_duration_seconds', 'driftwatch_checkpoint_writes_total',
    'driftwatch_feature_statistic', 'driftwatch_frame_processing_seconds', 'driftwatch_frames_processed_total', 'driftwatch_frames_rejected_total',
    'driftwatch_mqtt_commands_total', 'driftwatch_mqtt_connected', 'driftwatch_mqtt_connects_total', 'driftwatch_mqtt_publishes_total',
    'driftwatch_outbox_bytes', 'driftwatch_outbox_depth_messages', 'driftwatch_outbox_dropped_total', 'driftwatch_queue_depth_frames',
  ]);
  for (const f of own) assert.ok(UNIT_SUFFIX.test(f.name) || UNITLESS.has(f.name), `${f.name} has no unit suffix`);
  assert.ok(families.has('driftwatch_process_cpu_seconds_total'), 'default metrics carry the prefix');
});

Metrics('the process metrics are prom-client\'s default set, the CPU counters kept by the agent agree with process.cpuUsage', async () => {
  const reference = new Registry();
  collectDefaultMetrics({ register: reference, prefix: 'driftwatch_' });
  const expected = parseExposition(await reference.metrics());
  const families = await scrape(new AgentMetrics({ cameras: ['cam0'] }));
  const processFamilies = (names: Iterable<string>) => [...names].filter((n) => n.startsWith('driftwatch_process_') || n.startsWith('driftwatch_nodejs_')).sort();
  assert.equal(processFamilies(families.keys()), processFamilies(expected.keys()));
  for (const name of processFamilies(expected.keys())) {
    assert.is(families.get(name)!.help, expected.get(name)!.help, name);
    assert.is(families.get(name)!.type, expected.get(name)!.type, name);
  }
  // Burn some CPU between two scrapes: the counters rise by what process.cpuUsage says, and user + system = total.
  const metrics = new AgentMetrics({ cameras: ['cam0'] });
  const value = (f: Map<string, Family>, name: string) => sampleValue(f, `driftwatch_process_cpu_${name}_seconds_total`)!;
  const first = await scrape(metrics);
  const before = process.cpuUsage();
  let spin = 0;
  for (let i = 0; i < 3e7; i++) spin += i % 7;
  const used = process.cpuUsage(before);
  const second = await scrape(metrics);
  const userRise = value(second, 'user') - value(first, 'user');
  assert.ok(spin > 0 && userRise >= used.user / 1e6 * 0.9, `user CPU rose ${userRise} s, process.cpuUsage says ${used.user / 1e6} s`);
  const total = sampleValue(second, 'driftwatch_process_cpu_seconds_total')!;
  assert.ok(Math.abs(total - value(second, 'user') - value(second, 'system')) < 1e-9, 'user + system = total');
});

Metrics('every series starts at zero for every configured camera', async () => {
  const families = await scrape(new AgentMetrics({ cameras: ['cam0', 'yard'], defaultMetrics: false }));
  for (const camera of ['cam0', 'yard']) {
    assert.is(sampleValue(families, 'driftwatch_frames_processed_total', { camera }), 0);
    for (const reason of REJECT_REASONS) assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera, reason }), 0);
    assert.is(sampleValue(families, 'driftwatch_alert_state', { camera, state: 'ok' }), 1);
    assert.is(sampleValue(families, 'driftwatch_queue_depth_frames', { camera }), 0);
  }
  assert.is(sampleValue(families, 'driftwatch_mqtt_connected'), 0);
  assert.is(sampleValue(families, 'driftwatch_outbox_depth_messages'), 0);
  assert.is(sampleValue(families, 'driftwatch_checkpoint_writes_total', { result: 'error' }), 0);
});

Metrics('frames, rejections, queue, checkpoints and the alert state after calls', async () => {
  const metrics = new AgentMetrics({ cameras: ['cam0', 'yard'], defaultMetrics: false });
  metrics.frameProcessed('cam0', 0.004);
  metrics.frameProcessed('cam0', 0.02);
  metrics.frameProcessed('yard', 2);
  metrics.frameRejected('cam0', 'decode');
  metrics.frameRejected('cam0', 'queue_full');
  metrics.frameRejected('cam0', 'queue_full');
  metrics.queueDepth('yard', 7);
  metrics.outboxDepth(3);
  metrics.mqttConnected(true);
  metrics.checkpointWritten('ok');
  metrics.checkpointWritten('ok');
  metrics.checkpointWritten('error');
  metrics.alertState('yard', 'firing');
  const families = await scrape(metrics);
  assert.is(sampleValue(families, 'driftwatch_frames_processed_total', { camera: 'cam0' }), 2);
  assert.is(sampleValue(families, 'driftwatch_frames_processed_total', { camera: 'yard' }), 1);
  assert.is(sampleValue(families, 'driftwatch_frame_processing_seconds_count', { camera: 'cam0' }), 2);
  assert.ok(Math.abs(sampleValue(families, 'driftwatch_frame_processing_seconds_sum', { camera: 'cam0' })! - 0.024) < 1e-12);
  // Buckets are cumulative: 0.004 s is within 0.005, 0.02 s within 0.025, 2 s only in +Inf.
  assert.is(sampleValue(families, 'driftwatch_frame_processing_seconds_bucket', { camera: 'cam0', le: '0.005' }), 1);
  assert.is(sampleValue(families, 'driftwatch_frame_processing_seconds_bucket', { camera: 'cam0', le: '0.025' }), 2);
  assert.is(sampleValue(families, 'driftwatch_frame_processing_seconds_bucket', { camera: 'yard', le: '1' }), 0);
  assert.is(sampleValue(families, 'driftwatch_frame_processing_seconds_bucket', { camera: 'yard', le: '+Inf' }), 1);
  assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera: 'cam0', reason: 'decode' }), 1);
  assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera: 'cam0', reason: 'queue_full' }), 2);
  assert.is(sampleValue(families, 'driftwatch_queue_depth_frames', { camera: 'yard' }), 7);
  assert.is(sampleValue(families, 'driftwatch_outbox_depth_messages'), 3);
  assert.is(sampleValue(families, 'driftwatch_mqtt_connected'), 1);
  assert.is(sampleValue(families, 'driftwatch_checkpoint_writes_total', { result: 'ok' }), 2);
  assert.is(sampleValue(families, 'driftwatch_checkpoint_writes_total', { result: 'error' }), 1);
  for (const state of ALERT_STATES) assert.is(sampleValue(families, 'driftwatch_alert_state', { camera: 'yard', state }), state === 'firing' ? 1 : 0);
  assert.is(sampleValue(families, 'driftwatch_alert_state', { camera: 'cam0', state: 'ok' }), 1);
});

Metrics("a check's statistics per feature; the next check drops what it no longer reports", async () => {
  const metrics = new AgentMetrics({ cameras: ['cam0'], defaultMetrics: false });
  metrics.checkResult('cam0', result([
    test('luma_mean', 'continuous', 0.42, 1e-6, 1.5),
    test('luma', 'histogram', 0.2, null, 0.2),
    test('predicted_class', 'categorical', 17.5, 0.001, 0.3),
    test('made_up_feature', 'continuous', 0.9, 0, 9),
  ]), 0.003);
  let families = await scrape(metrics);
  const value = (feature: string, statistic: string) => sampleValue(families, 'driftwatch_feature_statistic', { camera: 'cam0', feature, statistic });
  assert.equal([value('luma_mean', 'ks_d'), value('luma_mean', 'p_value'), value('luma_mean', 'adjusted_p_value'), value('luma_mean', 'effect')], [0.42, 1e-6, 3e-6, 1.5]);
  assert.equal([value('luma', 'effect'), value('luma', 'ks_d'), value('luma', 'p_value')], [0.2, undefined, undefined]);
  assert.equal([value('predicted_class', 'chi_square'), value('predicted_class', 'p_value')], [17.5, 0.001]);
  const features = new Set(families.get('driftwatch_feature_statistic')!.samples.map((s) => s.labels.feature));
  assert.equal([...features].sort(), ['luma', 'luma_mean', 'predicted_class']);
  assert.is(sampleValue(families, 'driftwatch_check_duration_seconds_count', { camera: 'cam0' }), 1);

  metrics.checkResult('cam0', result([test('luma_mean', 'continuous', 0.1, 0.5, 0.2)]));
  families = await scrape(metrics);
  assert.is(families.get('driftwatch_feature_statistic')!.samples.length, 4);
  assert.is(value('luma_mean', 'ks_d'), 0.1);
  assert.is(value('luma', 'effect'), undefined);
  assert.is(sampleValue(families, 'driftwatch_check_duration_seconds_count', { camera: 'cam0' }), 1);
});

Metrics('labels stay bounded: unknown cameras are refused, unknown reasons counted as other', async () => {
  const metrics = new AgentMetrics({ cameras: ['cam0', 'yard'], defaultMetrics: false });
  assert.throws(() => metrics.frameProcessed('cam9', 0.01), /unknown camera 'cam9': metrics carry only the configured cameras \(cam0, yard\)/);
  assert.throws(() => metrics.checkResult('intruder', result([])), /unknown camera 'intruder'/);
  assert.throws(() => metrics.alertState('cam0', 'panicking' as never), /state must be one of ok, pending, firing, resolved/);
  assert.throws(() => metrics.frameProcessed('cam0', -1), /processingSeconds must be a finite number of seconds >= 0, got -1/);
  assert.throws(() => metrics.queueDepth('cam0', 1.5), /frames must be an integer >= 0, got 1.5/);
  assert.throws(() => metrics.baselineLoaded('cam0', 'md5:abc'), /digest must be 'sha256:' and 64 hex digits/);
  // A seeded stream of made-up reasons and cameras: the series count does not move.
  let s = 7;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 500; i++) {
    metrics.frameRejected(i % 2 ? 'cam0' : 'yard', `reason_${next() % 97}`);
    try { metrics.frameRejected(`intruder${next() % 50}`, 'decode'); } catch { /* refused, as it should be */ }
  }
  const families = await scrape(metrics);
  const rejected = families.get('driftwatch_frames_rejected_total')!.samples;
  assert.is(rejected.length, 2 * REJECT_REASONS.length);
  assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera: 'cam0', reason: 'other' }), 250);
  assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera: 'yard', reason: 'other' }), 250);
  assert.is(sampleValue(families, 'driftwatch_frames_rejected_total', { camera: 'cam0', reason: 'decode' }), 0);
  assert.equal(new Set(rejected.map((r) => r.labels.camera)), new Set(['cam0', 'yard']));
  metrics.frameProcessed('cam0', 0.001); // still working after refusals
  assert.is(sampleValue(await scrape(metrics), 'driftwatch_frames_processed_total', { camera: 'cam0' }), 1);
});

Metrics('baseline_info names the current digest only', async () => {
  const metrics = new AgentMetrics({ cameras: ['cam0'], defaultMetrics: false });
  const a = `sha256:${'a'.repeat(64)}`;
  const b = `sha256:${'b'.repeat(64)}`;
  metrics.baselineLoaded('cam0', a);
  metrics.baselineLoaded('cam0', b);
  const samples = (await scrape(metrics)).get('driftwatch_baseline_info')!.samples;
  assert.equal(samples.map((x) => [x.labels, x.value]), [[{ camera: 'cam0', digest: b }, 1]]);
});

Metrics('two agents in one process keep their own registries; the global one is untouched', async () => {
  const one = new AgentMetrics({ cameras: ['cam0'] });
  const two = new AgentMetrics({ cameras: ['cam0'] });
  one.frameProcessed('cam0', 0.01);
  assert.is(sampleValue(await scrape(one), 'driftwatch_frames_processed_total', { camera: 'cam0' }), 1);
  assert.is(sampleValue(await scrape(two), 'driftwatch_frames_processed_total', { camera: 'cam0' }), 0);
  assert.not.match(await globalRegistry.metrics(), 'driftwatch_');
});

Metrics('HEAD has no body; other methods are refused with 405', async () => {
  const { server, url } = await serve(new AgentMetrics({ cameras: ['cam0'], defaultMetrics: false }));
  try {
    const head = await fetch(url, { method: 'HEAD' });
    assert.is(head.status, 200);
    assert.is(await head.text(), '');
    const post = await fetch(url, { method: 'POST', body: 'x' });
    assert.is(post.status, 405);
    assert.is(post.headers.get('allow'), 'GET, HEAD');
  } finally {
    server.close();
  }
});

Metrics('docs/observability.md lists every metric with its type and labels', async () => {
  const doc = readFileSync(repoPath('docs/observability.md'), 'utf8');
  const metrics = new AgentMetrics({ cameras: ['cam0'], defaultMetrics: false });
  metrics.checkResult('cam0', result([test('luma_mean', 'continuous', 0.1, 0.5, 0.2)]));
  metrics.baselineLoaded('cam0', `sha256:${'d'.repeat(64)}`);
  const families = await scrape(metrics);
  for (const f of families.values()) {
    const labels = new Set(f.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== 'le'));
    assert.ok(doc.includes(`| \`${f.name}\` | ${f.type} | ${[...labels].join(', ') || 'none'} |`), `${f.name} (${f.type}; ${[...labels].join(', ')}) missing from the doc`);
  }
});

Metrics('cameras must be given', () => {
  assert.throws(() => new AgentMetrics({ cameras: [] }), /options.cameras must list the configured camera ids/);
});

Metrics.run();
