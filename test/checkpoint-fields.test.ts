// The checkpoint field reader: each check names the field's path, and the
// two helpers behind option comparisons (plainCopy, firstDifference).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CheckpointFormatError, Fields, firstDifference, plainCopy } from '../src/codec/checkpoint-fields.js';

const fields = suite('checkpoint fields');

fields('each reader accepts its kind and names the path of anything else', () => {
  const f = Fields.of({ n: 2, x: 1.5, b: true, s: 'a', none: null, list: [1, 2], bad: [1, Infinity], o: { deep: 'no' } }, 'root.part');
  assert.is(f.integer('n', 1), 2);
  assert.is(f.finite('x'), 1.5);
  assert.is(f.finiteOr('none', -Infinity), -Infinity);
  assert.is(f.boolean('b'), true);
  assert.is(f.choice('s', ['a', 'b']), 'a');
  assert.equal(Array.from(f.numbers('list', 2)), [1, 2]);
  assert.is(f.objectOrNull('none'), null);
  const cases: Array<[() => unknown, RegExp]> = [
    [() => f.integer('x'), /^checkpoint field root\.part\.x must be an integer >= 0; got 1\.5$/],
    [() => f.integer('n', 3), /root\.part\.n must be an integer >= 3; got 2/],
    [() => f.finite('s'), /root\.part\.s must be a finite number; got "a"/],
    [() => f.finite('missing'), /root\.part\.missing must be a finite number; got nothing \(the field is missing\)/],
    [() => f.boolean('n'), /root\.part\.n must be true or false; got 2/],
    [() => f.choice('s', ['up', 'down']), /root\.part\.s must be one of up, down; got "a"/],
    [() => f.numbers('bad'), /root\.part\.bad\[1\] must be a finite number; got Infinity/],
    [() => f.numbers('list', 3), /root\.part\.list must hold 3 numbers; got 2/],
    [() => f.object('list'), /root\.part\.list must be an object; got an array/],
    [() => f.object('o').integer('deep'), /root\.part\.o\.deep must be an integer >= 0; got "no"/],
    [() => Fields.envelope({ type: 'a', version: 2 }, 'v', 'a', 1), /v\.version 2 is not supported \(this build reads version 1\)/],
  ];
  for (const [read, message] of cases) assert.throws(read, (e: Error) => e instanceof CheckpointFormatError && message.test(e.message), String(message));
});

fields('plainCopy drops undefined members and turns typed arrays into arrays; firstDifference names the first differing path', () => {
  assert.equal(plainCopy({ a: undefined, b: [1, { c: undefined, d: 2 }], e: Float64Array.of(0.5, 2), f: null, g: false }), { b: [1, { d: 2 }], e: [0.5, 2], f: null, g: false });
  assert.is(firstDifference({ a: 1, b: [1, 2], c: undefined }, { a: 1, b: [1, 2] }, 'o'), null);
  assert.equal(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }, 'o'), { path: 'o.b[1]', a: 2, b: 3 });
  assert.equal(firstDifference({ w: { kind: 'x' } }, { w: { kind: 'x', size: 3 } }, 'o'), { path: 'o.w.size', a: undefined, b: 3 });
  assert.equal(firstDifference({ s: false }, { s: {} }, 'o'), { path: 'o.s', a: false, b: {} });
});

fields.run();
