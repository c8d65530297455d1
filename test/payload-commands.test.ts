// Commands: round trips, and every refusal as a CommandError with its code
// and a message naming the field (never another error).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encode } from '@msgpack/msgpack';
import { CommandError, encodeCommand, parseCommand, type CommandErrorCode } from '../src/envelope/commands.js';
import { GOLDEN_COMMANDS } from './helpers/payload-inputs.js';
import { uniforms } from './helpers/sketch-data.js';

const LIMITS = { maxBytes: 4096 };
const refused = (code: CommandErrorCode, pattern?: RegExp) => (e: Error) =>
  e instanceof CommandError && e.code === code && (!pattern || pattern.test(e.message));

const ok = suite('commands accepted');
ok('every command round-trips through encodeCommand and parseCommand', () => {
  for (const command of Object.values(GOLDEN_COMMANDS)) assert.equal(parseCommand(command.name, encodeCommand(command), LIMITS), command);
  const byPath = { name: 'rebaseline', camera: 'cam-a', requestId: null, baseline: null, path: '/var/lib/driftwatch/new.dwb' } as const;
  assert.equal(parseCommand('rebaseline', encodeCommand(byPath), LIMITS), byPath);
  assert.equal(parseCommand('summary-now', encodeCommand({ name: 'summary-now', camera: null, requestId: null }), LIMITS), { name: 'summary-now', camera: null, requestId: null });
});
ok('an empty payload is an empty map; null optional fields and unknown keys are ignored', () => {
  assert.equal(parseCommand('reload', new Uint8Array(0), LIMITS), { name: 'reload', requestId: null });
  assert.equal(parseCommand('rebirth', encode({ requestId: null, future: 1 }), LIMITS), { name: 'rebirth', requestId: null });
});
ok.run();

const bad = suite('commands refused');
bad('unknown command names', () => {
  for (const name of ['reboot', 'Reload', '', 'summary_now']) {
    assert.throws(() => parseCommand(name, encode({}), LIMITS), refused('unknown-command', /is not one of rebaseline, reload, summary-now, rebirth/), name);
  }
});
bad('size is checked before decoding: an oversized payload is too-large even when it is not msgpack', () => {
  assert.throws(() => parseCommand('reload', new Uint8Array(4097).fill(0xc1), LIMITS), refused('too-large', /4097 bytes, over the limit of 4096/));
  const big = encode({ camera: 'cam-a', baseline: new Uint8Array(5000) });
  assert.throws(() => parseCommand('rebaseline', big, LIMITS), refused('too-large'));
  assert.is(parseCommand('rebaseline', big, { maxBytes: big.length }).name, 'rebaseline');
  assert.throws(() => parseCommand('reload', new Uint8Array(0), { maxBytes: 0 }), TypeError);
});
bad('JSON, truncated and trailing bytes are bad-msgpack', () => {
  assert.throws(() => parseCommand('summary-now', new TextEncoder().encode('{"camera":"cam-a"}'), LIMITS), refused('bad-msgpack', /not valid msgpack/));
  const bytes = encodeCommand(GOLDEN_COMMANDS['cmd-rebaseline']);
  for (let n = 1; n < bytes.length; n++) assert.throws(() => parseCommand('rebaseline', bytes.subarray(0, n), LIMITS), refused('bad-msgpack'), `cut at ${n}`);
  assert.throws(() => parseCommand('reload', new Uint8Array([0x80, 0x80]), LIMITS), refused('bad-msgpack'));
});
bad('wrong fields are bad-field, naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['rebaseline', { baseline: new Uint8Array(3) }, /rebaseline: camera must be a string/],
    ['rebaseline', { camera: 5, path: '/x' }, /camera must be a string/],
    ['rebaseline', { camera: 'cam-a' }, /exactly one of baseline .* and path/],
    ['rebaseline', { camera: 'cam-a', path: '/x', baseline: new Uint8Array(3) }, /exactly one of baseline/],
    ['rebaseline', { camera: 'cam-a', baseline: 'not bytes' }, /baseline must be bin bytes/],
    ['rebaseline', { camera: 'cam-a', path: '' }, /path must be a non-empty string/],
    ['rebaseline', { camera: 'x'.repeat(3000), path: '/x' }, /camera must be a string of at most 64 characters/],
    ['summary-now', { camera: ['cam-a'] }, /camera must be a string/],
    ['reload', { requestId: 12 }, /requestId must be a string/],
    ['rebirth', { requestId: 'r'.repeat(200) }, /requestId must be a string of at most 128/],
    ['reload', [1, 2], /the payload must be a map/],
    ['reload', 'reload', /the payload must be a map/],
  ];
  for (const [name, payload, pattern] of cases) {
    assert.throws(() => parseCommand(name, encode(payload), LIMITS), refused('bad-field', pattern), `${name} ${JSON.stringify(payload).slice(0, 40)}`);
  }
});
bad('2,000 seeded random payloads for each command give only CommandErrors', () => {
  const next = uniforms(7);
  for (const name of ['rebaseline', 'reload', 'summary-now', 'rebirth']) {
    for (let t = 0; t < 2000; t++) {
      const bytes = new Uint8Array(1 + Math.floor(next() * 64)).map(() => Math.floor(next() * 256));
      if (t % 2) bytes[0] = 0x82;
      try { parseCommand(name, bytes, LIMITS); } catch (e) { if (!(e instanceof CommandError)) assert.unreachable(`${name} #${t}: ${String(e)}`); }
    }
  }
});
bad.run();
