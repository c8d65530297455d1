#!/usr/bin/env python3
"""Reference vectors for driftwatch's statistics, computed with scipy on this
machine. Seeded: running it again gives the same files.

Writes test/fixtures/scipy/*.json. Samples with at most 2000 values are stored
inline as JSON numbers (Python's repr round-trips doubles exactly); larger ones
are float32 values (so that the stored float32 and the tested float64 are the
same number) written little-endian to <name>.f32 next to the JSON.

Usage: python3 scripts/scipy-vectors.py
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'scipy')
INLINE_MAX = 2000


def store_sample(name, values):
    values = np.asarray(values, dtype=np.float64)
    if values.size <= INLINE_MAX:
        return [float(v) for v in values]
    as32 = values.astype('<f4')
    as32.tofile(os.path.join(OUT, name + '.f32'))
    return {'f32': name + '.f32', 'length': int(values.size)}


def ks_case(a, b, alternative, method):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        r = stats.ks_2samp(a, b, alternative=alternative, method=method)
    used = method
    if method == 'auto':
        used = 'exact' if max(len(a), len(b)) <= 10000 else 'asymp'
    if any('Switching to' in str(w.message) or 'not possible' in str(w.message) for w in caught):
        used = 'asymp'
    return {'alternative': alternative, 'method': method, 'methodUsed': used,
            'statistic': float(r.statistic), 'pvalue': float(r.pvalue)}


def ks_vectors():
    rng = np.random.default_rng(20261121)
    pairs = []

    def add(name, a, b, methods=('exact', 'asymp', 'auto'), alternatives=('two-sided', 'less', 'greater')):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if a.size > INLINE_MAX or b.size > INLINE_MAX:
            a = a.astype(np.float32).astype(np.float64)
            b = b.astype(np.float32).astype(np.float64)
        cases = [ks_case(a, b, alt, m) for m in methods for alt in alternatives]
        pairs.append({'name': name, 'a': store_sample(name + '-a', a), 'b': store_sample(name + '-b', b),
                      'cases': cases})
        print(f'ks {name}: n={a.size} m={b.size}', file=sys.stderr)

    normal = rng.standard_normal
    # Tiny samples, where only some alternatives and methods are defined.
    add('one-one', [0.5], [1.5], methods=('exact', 'auto'))
    add('one-five', [0.5], normal(5), methods=('exact', 'asymp'))
    add('three-three-identical', [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], methods=('exact', 'auto'))
    # Equal and unequal sizes, shifted and scaled normals.
    for n, m, shift, scale in [(5, 8, 0.5, 1.0), (10, 10, 0.0, 1.0), (20, 15, 1.0, 1.0), (50, 50, 0.3, 1.0),
                               (100, 80, 0.0, 2.0), (200, 200, 0.2, 1.0), (500, 300, 0.1, 1.0),
                               (1000, 1000, 0.05, 1.2), (2000, 1500, 0.1, 1.0), (60, 700, 0.4, 1.0),
                               (123, 456, 0.0, 1.0)]:
        add(f'normal-{n}-{m}-shift{shift}-scale{scale}', normal(n), shift + scale * normal(m))
    # Strong separation: tiny p-values.
    add('far-apart-40-40', normal(40), 3 + normal(40))
    add('far-apart-300-250', normal(300), 1.5 + normal(250))
    add('disjoint-30-20', normal(30), 10 + normal(20))
    # Identical and nearly identical samples.
    same = normal(400)
    add('identical-400', same, same.copy())
    add('permuted-400', same, rng.permutation(same))
    # Heavy ties and discrete data.
    add('poisson-300-200', rng.poisson(3.0, 300), rng.poisson(3.3, 200))
    add('three-levels-500-500', rng.integers(0, 3, 500), rng.integers(0, 3, 500))
    add('rounded-150-90', np.round(normal(150) * 2) / 2, np.round((0.3 + normal(90)) * 2) / 2)
    add('constant-vs-spread-50-60', np.full(50, 1.0), rng.integers(0, 3, 60).astype(float))
    add('bernoulli-1000-800', rng.integers(0, 2, 1000), (rng.random(800) < 0.45).astype(float))
    # The 'auto' switch: exact up to 10,000, asymptotic above.
    add('normal-10000-9000', normal(10000), 0.03 + normal(9000), methods=('auto', 'asymp'),
        alternatives=('two-sided',))
    add('normal-10001-10000', normal(10001), 0.02 + normal(10000), methods=('auto', 'exact'),
        alternatives=('two-sided', 'greater'))
    # Large samples (asymptotic; exact two-sided for equal sizes).
    add('normal-100000-100000', normal(100000), 0.01 + normal(100000), methods=('auto', 'exact'))
    add('normal-60000-25000', normal(60000), 1.02 * normal(25000), methods=('auto',))
    add('poisson-50000-50000', rng.poisson(5.0, 50000), rng.poisson(5.0, 50000), methods=('auto', 'exact'))
    # Added later with their own generator, so the samples above stay as they were.
    grid_rng = np.random.default_rng(20261122)
    # A seeded grid of small unequal sizes: every exact method, many lattices.
    for _ in range(24):
        n, m = (int(k) for k in grid_rng.integers(1, 121, 2))
        shift = grid_rng.uniform(-0.5, 0.5)
        add(f'grid-{n}-{m}', np.round(grid_rng.standard_normal(n), 3),
            np.round(shift + grid_rng.standard_normal(m), 3),
            methods=('exact', 'asymp') if n * m / (n + m) >= 1 else ('exact',))
    # One-sided exact for unequal sizes stops where C(n + m, n) leaves the double range.
    for n, m in [(505, 500), (515, 512), (530, 520)]:
        add(f'binomial-edge-{n}-{m}', np.round(grid_rng.standard_normal(n), 3), np.round(0.1 + grid_rng.standard_normal(m), 3),
            methods=('exact',), alternatives=('less', 'greater'))
    return {'scipy': scipy.__version__, 'pairs': pairs}


def kolmogorov_vectors():
    # kstwo.sf over a grid that reaches every branch of Simard & L'Ecuyer's
    # method choice, and the one-sided smirnov survival function.
    grid = []
    for n in [1, 2, 5, 10, 50, 140, 141, 500, 5000, 100000, 100001, 500000, 2000000]:
        for z in [0.3, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0]:
            x = min(1.0, z / math.sqrt(n))
            grid.append({'n': n, 'x': x, 'kstwoSf': float(stats.kstwo.sf(x, n)),
                         'smirnov': float(special.smirnov(n, x))})
        for x in [0.4 / n, 0.75 / n, 0.5, 0.7, 1 - 1.5 / n, 1 - 0.5 / n]:
            if 0 < x < 1:
                grid.append({'n': n, 'x': x, 'kstwoSf': float(stats.kstwo.sf(x, n)),
                             'smirnov': float(special.smirnov(n, x))})
    return {'scipy': scipy.__version__, 'grid': grid}


def histogram_pairs(rng):
    pairs = []
    for k, alpha in [(2, 1.0), (5, 1.0), (10, 0.5), (36, 2.0), (256, 1.0)]:
        p = rng.dirichlet(np.full(k, alpha)) * 1000
        q = rng.dirichlet(np.full(k, alpha)) * 700
        pairs.append((np.round(p), np.round(q)))
    pairs.append((np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 2.0, 3.0, 4.0])))
    pairs.append((np.array([0.1, 0.2, 0.7]), np.array([0.3, 0.3, 0.4])))
    return [(p, q) for p, q in pairs if p.sum() > 0 and q.sum() > 0]


def divergence_vectors():
    rng = np.random.default_rng(7)
    cases = []
    for p, q in histogram_pairs(rng):
        pn, qn = p / p.sum(), q / q.sum()
        case = {'p': [float(v) for v in p], 'q': [float(v) for v in q],
                'jsDistance': float(distance.jensenshannon(p, q, base=2)),
                'hellinger': float(np.sqrt(0.5 * np.sum((np.sqrt(pn) - np.sqrt(qn)) ** 2)))}
        case['jsDivergence'] = case['jsDistance'] ** 2
        kl = float(stats.entropy(p, q, base=2))
        case['kl'] = kl if math.isfinite(kl) else 'Infinity'
        cases.append(case)
    return {'scipy': scipy.__version__, 'cases': cases}


def wasserstein_vectors():
    rng = np.random.default_rng(11)
    cases = []
    for n, m, weighted in [(1, 1, False), (5, 3, False), (100, 80, False), (1000, 1500, False),
                           (20, 30, True), (200, 100, True)]:
        u = np.round(rng.standard_normal(n), 3)
        v = np.round(0.4 + 1.3 * rng.standard_normal(m), 3)
        case = {'u': [float(x) for x in u], 'v': [float(x) for x in v]}
        if weighted:
            uw = rng.integers(0, 5, n).astype(float)
            vw = rng.random(m)
            uw[0] = 1.0
            case['uWeights'] = [float(x) for x in uw]
            case['vWeights'] = [float(x) for x in vw]
            case['distance'] = float(stats.wasserstein_distance(u, v, uw, vw))
            # The weighted KS statistic on the same distributions, by definition.
            grid = np.union1d(u, v)
            fu = np.array([uw[u <= x].sum() for x in grid]) / uw.sum()
            fv = np.array([vw[v <= x].sum() for x in grid]) / vw.sum()
            case['ksPlus'] = float(max(0.0, np.max(fu - fv)))
            case['ksMinus'] = float(max(0.0, np.max(fv - fu)))
        else:
            case['distance'] = float(stats.wasserstein_distance(u, v))
        cases.append(case)
    return {'scipy': scipy.__version__, 'cases': cases}


def chi_square_vectors():
    rng = np.random.default_rng(13)
    cases = []
    for k in [2, 3, 5, 12, 36]:
        for scale in [30, 1000]:
            ref = rng.multinomial(scale, rng.dirichlet(np.ones(k)))
            cur = rng.multinomial(scale // 2 + 7, rng.dirichlet(np.ones(k)))
            keep = (ref + cur) > 0
            table = np.array([ref[keep], cur[keep]])
            if table.shape[1] < 2:
                continue
            r = stats.chi2_contingency(table)
            cases.append({'reference': [int(x) for x in ref], 'current': [int(x) for x in cur],
                          'statistic': float(r.statistic), 'pvalue': float(r.pvalue), 'dof': int(r.dof)})
    gamma = []
    for a in [0.5, 1.0, 1.5, 2.0, 5.0, 17.5, 100.0, 1000.0]:
        for x in [1e-3, 0.5, 1.0, 3.0, 10.0, 50.0, 120.0, 1100.0]:
            gamma.append({'a': a, 'x': x, 'q': float(special.gammaincc(a, x)), 'p': float(special.gammainc(a, x))})
    return {'scipy': scipy.__version__, 'cases': cases, 'gammaincc': gamma}


def multiple_testing_vectors():
    rng = np.random.default_rng(17)
    cases = []
    for m in [1, 5, 20, 100]:
        ps = np.concatenate([rng.random(m - m // 4), rng.random(m // 4) * 1e-3])
        ps = rng.permutation(ps)
        adjusted = stats.false_discovery_control(ps, method='bh')
        cases.append({'pvalues': [float(p) for p in ps], 'bh': [float(p) for p in adjusted],
                      'bonferroni': [float(min(1.0, p * m)) for p in ps]})
    ties = np.array([0.01, 0.01, 0.04, 0.04, 0.5, 1.0, 0.0])
    cases.append({'pvalues': [float(p) for p in ties],
                  'bh': [float(p) for p in stats.false_discovery_control(ties, method='bh')],
                  'bonferroni': [float(min(1.0, p * ties.size)) for p in ties]})
    return {'scipy': scipy.__version__, 'cases': cases}


def psi_reference(ref, cur, bins, floor):
    edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    r = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=edges.size + 1) / ref.size
    c = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=edges.size + 1) / cur.size
    r = np.maximum(r, floor)
    c = np.maximum(c, floor)
    return float(np.sum((c - r) * np.log(c / r))), [float(e) for e in edges]


def psi_vectors():
    rng = np.random.default_rng(19)
    cases = []
    for n, m, shift, bins in [(1000, 800, 0.0, 10), (1000, 800, 0.5, 10), (500, 500, 0.2, 20), (300, 50, 1.0, 5)]:
        ref = np.round(rng.standard_normal(n), 4)
        cur = np.round(shift + rng.standard_normal(m), 4)
        value, edges = psi_reference(ref, cur, bins, 1e-4)
        cases.append({'reference': [float(x) for x in ref], 'current': [float(x) for x in cur], 'bins': bins,
                      'psi': value, 'edges': edges})
    ref = rng.integers(0, 4, 400).astype(float)
    cur = rng.integers(0, 6, 300).astype(float)
    value, edges = psi_reference(ref, cur, 10, 1e-4)
    cases.append({'reference': [float(x) for x in ref], 'current': [float(x) for x in cur], 'bins': 10,
                  'psi': value, 'edges': edges})
    return {'numpy': np.__version__, 'floor': 1e-4, 'cases': cases}


def write(name, payload):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(payload, f, separators=(',', ':'))
        f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    write('divergences.json', divergence_vectors())
    write('wasserstein.json', wasserstein_vectors())
    write('chi-square.json', chi_square_vectors())
    write('multiple-testing.json', multiple_testing_vectors())
    write('psi.json', psi_vectors())
    write('kolmogorov.json', kolmogorov_vectors())
    write('ks2samp.json', ks_vectors())


if __name__ == '__main__':
    main()
