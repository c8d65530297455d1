import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kernels } from '../edge/library.js';
import { statsKernels } from '../src/stats/stats-kernels.js';
import { BUILDS, loadBuild } from './helpers/builds.js';

// A small seeded generator (xorshift32) so the inputs are the same every run.
function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

for (const build of BUILDS) {
  const sort = suite(`sortF64 radix sort (${build})`);
  let kernels: Kernels;
  sort.before(async () => { kernels = await loadBuild(build); });

  const cases: Array<[string, (random: () => number) => Float64Array]> = [
    ['one value', () => Float64Array.of(3)],
    ['insertion-sort sizes', (r) => Float64Array.from({ length: 47 }, () => r() - 0.5)],
    ['mixed signs and magnitudes', (r) => Float64Array.from({ length: 5000 }, () => (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20))],
    ['signed zeros, extremes and subnormals', () => Float64Array.of(0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE,
      1, -1, 0, 2.2250738585072014e-308, ...Array.from({ length: 60 }, (_, i) => (i % 7) - 3))],
    ['heavy ties', (r) => Float64Array.from({ length: 20000 }, () => Math.floor(r() * 4))],
    ['already sorted and reversed', () => Float64Array.from({ length: 3000 }, (_, i) => (i < 1500 ? i : 4500 - i))],
    ['a million normals-ish', (r) => Float64Array.from({ length: 1_000_000 }, () => r() + r() + r() - 1.5)],
  ];
  for (const [name, make] of cases) {
    sort(`${name}: same order as Float64Array.prototype.sort`, () => {
      const values = make(seeded(name.length * 7919));
      const sorted = statsKernels(kernels).sorted(values);
      const expected = Float64Array.from(values).sort();
      assert.is(sorted.length, expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (!Object.is(sorted[i], expected[i])) assert.unreachable(`index ${i}: ${sorted[i]} vs ${expected[i]}`);
      }
    });
  }
  sort.run();
}
