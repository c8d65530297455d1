#!/usr/bin/env python3
"""Times scipy.stats.ks_2samp (method='auto') on two float64 little-endian
files, for bench/ks.ts. Only the ks_2samp call is timed (time.perf_counter).
Usage: scipy-ks.py A.f64 B.f64 REPEATS  -> prints one JSON object."""
import json
import statistics
import sys
import time

import numpy as np
from scipy import stats

a = np.fromfile(sys.argv[1], dtype='<f8')
b = np.fromfile(sys.argv[2], dtype='<f8')
repeats = int(sys.argv[3])
stats.ks_2samp(a[:100], b[:100])  # warm up imports and caches
times = []
result = None
for _ in range(repeats):
    start = time.perf_counter()
    result = stats.ks_2samp(a, b, method='auto')
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({'medianMs': statistics.median(times), 'statistic': float(result.statistic),
                  'pvalue': float(result.pvalue), 'scipy': __import__('scipy').__version__}))
