// Broker options (MQTT 5 defaults, credential precedence, no password in
// errors) and the backoff's numbers, without a broker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Backoff, isCredentialsRefusal, seededRandom } from '../edge/mqtt/backoff.js';
import { brokerOptions } from '../edge/mqtt/broker-options.js';

const Options = suite('mqtt broker options');

Options('MQTT 5 defaults: clean start, session expiry 0, keepalive 30, no MQTT.js reconnects or offline queue', () => {
  const o = brokerOptions('mqtt://broker.local', { clientId: 'box-1' }, {});
  assert.equal(
    [o.protocol, o.host, o.port, o.clientId, o.protocolVersion, o.clean, o.properties, o.keepalive, o.reconnectPeriod, o.queueQoSZero, o.username, o.password],
    ['mqtt', 'broker.local', 1883, 'box-1', 5, true, { sessionExpiryInterval: 0 }, 30, 0, false, undefined, undefined],
  );
  const v4 = brokerOptions('mqtts://b:9999', { clientId: 'box-1', protocolVersion: 4 }, {});
  assert.equal([v4.protocol, v4.port, v4.protocolVersion, v4.properties, v4.rejectUnauthorized], ['mqtts', 9999, 4, undefined, true]);
});

Options('credentials: settings > environment > URL; a password file loses its trailing newline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-pass-'));
  writeFileSync(join(dir, 'p'), 'from-file\n');
  const url = 'mqtt://url-user:url-pass@h';
  assert.equal(pick(brokerOptions(url, { clientId: 'c' }, {})), ['url-user', 'url-pass']);
  const env = { DRIFTWATCH_MQTT_USERNAME: 'env-user', DRIFTWATCH_MQTT_PASSWORD_FILE: join(dir, 'p') };
  assert.equal(pick(brokerOptions(url, { clientId: 'c' }, env)), ['env-user', 'from-file']);
  assert.equal(pick(brokerOptions(url, { clientId: 'c', username: 'u', password: 'p' }, env)), ['u', 'p']);
});

function pick(o: { username?: string; password?: string | Buffer }) {
  return [o.username, o.password];
}

Options('errors never hold the password', () => {
  for (const [url, settings] of [
    ['http://u:hunter22@h', {}],
    ['mqtt://u:hunter22@h', { ca: '/ca.pem' }],
    ['mqtts://u:hunter22@h', { cert: '/c.pem' }],
    ['mqtts://u:hunter22@h', { ca: '/nonexistent/ca.pem' }],
    ['mqtt://:hunter22@h', {}],
  ] as const) {
    assert.throws(() => brokerOptions(url, { clientId: 'c', ...settings }, {}), (e: Error) => !e.message.includes('hunter22'));
  }
  assert.throws(() => brokerOptions('mqtt://h', { clientId: 'c', keepaliveS: 0 }, {}), /keepalive/);
});

const Delays = suite('mqtt backoff');

Delays('full jitter in [min, min(max, min·2^n)]; a stable connection resets; seeded streams repeat', () => {
  let now = 0;
  const b = new Backoff({ random: seededRandom(1), now: () => now });
  const delays = Array.from({ length: 8 }, () => b.nextDelayMs('error'));
  delays.forEach((d, i) => assert.ok(d >= 1000 && d <= Math.min(60_000, 1000 * 2 ** (i + 1)), `delay ${i}: ${d}`));
  const again = new Backoff({ random: seededRandom(1), now: () => now });
  assert.equal(Array.from({ length: 8 }, () => again.nextDelayMs('error')), delays);
  b.connected();
  now += 60_000;
  assert.ok(b.nextDelayMs('error') <= 2000, 'reset after a minute up');
  const edge = new Backoff({ random: () => 0.9999999999 });
  for (let i = 0; i < 10; i++) edge.nextDelayMs('error');
  assert.is(edge.nextDelayMs('error'), 60_000);
});

Delays('refused credentials: at least 60 s, growing to at most 15 min', () => {
  const b = new Backoff({ random: () => 0.999999 });
  const delays = Array.from({ length: 6 }, () => b.nextDelayMs('credentials'));
  assert.equal(delays, [120_000, 240_000, 480_000, 899_999, 899_999, 899_999]);
  assert.is(new Backoff({ random: () => 0 }).nextDelayMs('credentials'), 60_000);
  assert.equal([134, 135, 4, 5, 136].map((c) => isCredentialsRefusal(c, c > 5 ? 5 : 4)), [true, true, true, true, false]);
});

Options.run();
Delays.run();
