#!/usr/bin/env python3
"""Reference values for the features derived from predictions
(docs/predictions.md), computed with numpy and scipy on this machine, to
test src/predictions/prediction-features.ts against. Seeded: running it
again gives the same file.

Writes test/fixtures/scipy/prediction-features.json: a list of cases, each
{record, frame (or null), minDetectionScore, expected: {feature: value}};
a feature missing from `expected` must be absent.

Usage: python3 scripts/prediction-vectors.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'scipy', 'prediction-features.json')
rng = np.random.default_rng(20261121)
CLASSES = ['person', 'car', 'bicycle', 'dog', 'cat', 'bus', 'truck', 'bird', 'horse', 'sheep', 'cow', 'boat']


def classifier_expected(scores, full_or_topk):
    s = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
    expected = {'pred_top1_confidence': float(s[0])}
    if s.size >= 2:
        expected['pred_margin'] = float(s[0] - s[1])
    if full_or_topk and np.all(s >= 0) and s.sum() > 0:
        expected['pred_entropy'] = float(stats.entropy(s, base=2))
    return expected


def scores_case():
    k = int(rng.integers(1, len(CLASSES) + 1))
    p = rng.dirichlet(np.full(k, float(rng.choice([0.2, 1.0, 5.0]))))
    if k > 2 and rng.random() < 0.3:
        p[int(rng.integers(k))] = 0.0  # a class with score 0 adds nothing
    names = list(rng.permutation(CLASSES)[:k])
    return {'scores': {n: float(v) for n, v in zip(names, p)}}, classifier_expected(p, True)


def top_case():
    p = rng.dirichlet(np.full(len(CLASSES), 0.5))
    k = int(rng.integers(1, 6))
    order = np.argsort(-p)[:k]
    top = [{'label': CLASSES[i], 'score': float(p[i])} for i in order]
    return {'top': top}, classifier_expected(p[order], True)


def top1_case():
    score = float(rng.random())
    return {'label': str(rng.choice(CLASSES)), 'score': score}, {'pred_top1_confidence': score}


def detector_case():
    width, height = int(rng.integers(64, 1921)), int(rng.integers(48, 1081))
    threshold = float(rng.choice([0.0, 0.0, 0.25, 0.5]))
    detections = []
    for _ in range(int(rng.integers(0, 9))):
        d = {'label': str(rng.choice(CLASSES))}
        if rng.random() < 0.85:
            d['score'] = float(rng.random())
        if rng.random() < 0.85:
            w, h = float(rng.uniform(0, width / 2)), float(rng.uniform(0, height / 2))
            d['box'] = [float(rng.uniform(0, width - w)), float(rng.uniform(0, height - h)), w, h]
        detections.append(d)
    kept = [d for d in detections if threshold == 0 or ('score' in d and d['score'] >= threshold)]
    expected = {'pred_detections': len(kept)}
    scores = [d['score'] for d in kept if 'score' in d]
    if scores:
        expected['pred_mean_score'] = float(np.mean(scores))
    areas = [d['box'][2] * d['box'][3] / (width * height) for d in kept if 'box' in d]
    if areas:
        expected['pred_mean_box_area'] = float(np.mean(areas))
    return {'detections': detections}, expected, {'width': width, 'height': height}, threshold


def main():
    cases = []
    for make in [scores_case] * 40 + [top_case] * 25 + [top1_case] * 5:
        record, expected = make()
        cases.append({'record': record, 'frame': None, 'minDetectionScore': 0, 'expected': expected})
    for _ in range(40):
        record, expected, frame, threshold = detector_case()
        cases.append({'record': record, 'frame': frame, 'minDetectionScore': threshold, 'expected': expected})
    with open(OUT, 'w') as f:
        json.dump({'generator': f'scripts/prediction-vectors.py, numpy {np.__version__}, scipy {scipy.__version__}', 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
