// The logger writes JSON lines with the device (and camera) on each, at the
// configured level, and never a password, a token, or a payload.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, cameraLogger } from '../edge/observability/logger.js';
import { formatConfig, loadAgentConfig } from '../edge/config/index.js';
import type { LogLevel } from '../edge/config/schema.js';

function capture(level: LogLevel = 'info') {
  const chunks: string[] = [];
  const logger = createLogger({ level, device: 'box-1', destination: { write: (chunk: string) => { chunks.push(chunk); } } });
  const text = () => chunks.join('');
  const lines = () => text().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, text, lines };
}

const Logs = suite('logger');

Logs('JSON lines with time, level label, device and message; a camera child adds camera', () => {
  const { logger, lines } = capture();
  logger.info('agent started');
  cameraLogger(logger, 'yard').warn({ frame: 12 }, 'frame rejected');
  const [first, second] = lines();
  assert.is(first.level, 'info');
  assert.is(first.device, 'box-1');
  assert.is(first.msg, 'agent started');
  assert.ok(!Number.isNaN(Date.parse(first.time as string)), 'time is an ISO date');
  assert.equal([second.level, second.device, second.camera, second.frame, second.msg], ['warn', 'box-1', 'yard', 12, 'frame rejected']);
});

Logs('the configured level filters', () => {
  const { logger, lines } = capture('warn');
  logger.info('quiet');
  logger.debug('quieter');
  logger.error('loud');
  assert.equal(lines().map((l) => l.msg), ['loud']);
  const trace = capture('trace');
  trace.logger.trace('all of it');
  assert.is(trace.lines().length, 1);
});

Logs('an MQTT password never reaches the log, through formatConfig or the config object', () => {
  const config = loadAgentConfig({
    argv: ['--device', 'box-1', '--source', 'http:', '--baseline', '/b.dwb', '--mqtt', 'mqtt://user:s3cret@host'], env: {}, fileExists: () => true,
  });
  const { logger, text, lines } = capture();
  logger.info(`effective configuration\n${formatConfig(config)}`);
  logger.info({ config }, 'configuration');
  logger.info({ url: new URL(config.sinks.mqtt!) }, 'connecting');
  logger.info('connecting to %s', config.sinks.mqtt);
  assert.is(lines().length, 4);
  assert.not.match(text(), 's3cret');
  assert.match(text(), 'mqtt://user:***@host');
});

Logs('secret-named fields at any depth are redacted; payloads are left out, their sizes kept', () => {
  const { logger, text, lines } = capture();
  logger.info({
    mqtt: { username: 'u', password: 'pw-1' },
    req: { headers: { authorization: 'Bearer tok-2', 'x-api-key': 'key-3', host: 'box' } },
    deep: { a: { b: { accessToken: 'tok-4', key: 'key-5' } } },
    body: '{"boxes":[[1,2,3,4]]}',
    prediction: { classes: ['secret-class'] },
    image: Buffer.from('JPEG-bytes-6'),
    frame: new Uint8Array(1000),
    bytes: 1000,
  }, 'request');
  const line = lines()[0] as Record<string, any>;
  for (const secret of ['pw-1', 'tok-2', 'key-3', 'tok-4', 'key-5', 'boxes', 'secret-class', 'JPEG-bytes-6']) assert.not.match(text(), secret);
  assert.is(line.mqtt.username, 'u');
  assert.is(line.mqtt.password, '[redacted]');
  assert.is(line.req.headers.authorization, '[redacted]');
  assert.is(line.req.headers.host, 'box');
  assert.is(line.deep.a.b.key, '[redacted]');
  assert.is(line.body, '[omitted payload]');
  assert.is(line.frame, '[binary: 1000 bytes]');
  assert.is(line.bytes, 1000);
});

Logs('errors keep type, message and stack, masked; cycles and child bindings are safe', () => {
  const { logger, text, lines } = capture();
  const error = Object.assign(new Error('cannot reach http://svc:pw-7@10.0.0.5/predict'), { code: 'ECONNREFUSED' });
  logger.error(error);
  logger.error({ err: error }, 'upstream failed');
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  logger.info({ cyclic }, 'cycle');
  logger.child({ token: 'tok-8', camera: 'c' }).info('child');
  assert.not.match(text(), 'pw-7');
  assert.not.match(text(), 'tok-8');
  const [first, second, third, fourth] = lines() as Record<string, any>[];
  assert.is(first.msg, 'cannot reach http://svc:***@10.0.0.5/predict');
  assert.equal([first.err.type, first.err.code], ['Error', 'ECONNREFUSED']);
  assert.match(first.err.stack, 'Error: cannot reach http://svc:***@10.0.0.5/predict');
  assert.is(second.err.message, 'cannot reach http://svc:***@10.0.0.5/predict');
  assert.is(third.cyclic.self, '[circular]');
  assert.equal([fourth.camera, fourth.token], ['c', '[redacted]']);
});

Logs('by default lines go to stderr; stdout stays free for alert lines', () => {
  const script = `const { createLogger } = await import(${JSON.stringify(new URL('../edge/observability/logger.js', import.meta.url).href)});
createLogger({ level: 'info', device: 'box-9' }).info({ password: 'pw-9' }, 'hello');`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  assert.is(child.stdout, '');
  const line = JSON.parse(child.stderr.trim()) as Record<string, unknown>;
  assert.equal([line.device, line.msg, line.password], ['box-9', 'hello', '[redacted]']);
});

Logs.run();
