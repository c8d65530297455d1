import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { psi } from '../edge/library.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Case { reference: number[]; current: number[]; bins: number; psi: number; edges: number[] }
const vectors = readVectors<{ floor: number; cases: Case[] }>('psi.json');

const p = suite('psi against its definition in numpy (quantile edges, floor 1e-4)');
p(`${vectors.cases.length} cases, edges exact and PSI to 1e-9 relative`, () => {
  for (const c of vectors.cases) {
    const r = psi(c.reference, c.current, { bins: c.bins, floor: vectors.floor });
    assert.equal(Array.from(r.edges), c.edges);
    assert.ok(close(r.psi, c.psi, 1e-15, 1e-9), `${r.psi} vs ${c.psi}`);
  }
});
p('identical samples give 0; defaults are 10 bins', () => {
  const x = Array.from({ length: 100 }, (_, i) => i);
  const r = psi(x, x);
  assert.is(r.psi, 0);
  assert.is(r.edges.length, 9);
});
p('an empty current bin is floored, not log(0)', () => {
  const ref = Array.from({ length: 100 }, (_, i) => i);
  const r = psi(ref, [0, 1, 2], { floor: 1e-4 });
  assert.ok(Number.isFinite(r.psi) && r.psi > 0);
  assert.is(r.current[9], 1e-4);
});
p('rejects bad input, naming the argument', () => {
  assert.throws(() => psi([], [1]), (e: Error) => e instanceof RangeError && /reference/.test(e.message));
  assert.throws(() => psi([1], [NaN]), (e: Error) => e instanceof RangeError && /current\[0\]/.test(e.message));
  assert.throws(() => psi([1], [1], { bins: 1 }), /options.bins/);
  assert.throws(() => psi([1], [1], { floor: 0 }), /options.floor/);
});
p.run();
