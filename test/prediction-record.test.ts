import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePrediction } from '../src/predictions/prediction-record.js';

const records = suite('prediction records');

records('classifier shapes give the top-1 class', () => {
  assert.equal(parsePrediction({ file: 'f1.jpg', label: 'cat', score: 0.9 }), { kind: 'classifier', classes: ['cat'], shape: 'top-1', scores: [{ label: 'cat', score: 0.9 }], file: 'f1.jpg' });
  assert.equal(parsePrediction({ label: 'cat' }), { kind: 'classifier', classes: ['cat'], shape: 'top-1', scores: [] });
  assert.equal(parsePrediction({ scores: { dog: 0.2, cat: 0.7, bird: 0.1 } }).classes, ['cat']);
  assert.equal(parsePrediction({ top: [{ label: 'b', score: 0.3 }, { label: 'a', score: 0.6 }] }).classes, ['a']);
});

records('equal scores go to the name that sorts first, whatever the key order', () => {
  assert.equal(parsePrediction({ scores: { zebra: 0.5, ant: 0.5 } }).classes, ['ant']);
  assert.equal(parsePrediction({ scores: { ant: 0.5, zebra: 0.5 } }).classes, ['ant']);
});

records('detector shape gives every detection label', () => {
  const r = parsePrediction({ detections: [{ label: 'person', score: 0.9, box: [0, 0, 1, 1] }, { label: 'car', score: 0.4 }] });
  assert.equal(r, {
    kind: 'detector', classes: ['person', 'car'], shape: 'detections',
    detections: [{ label: 'person', score: 0.9, box: [0, 0, 1, 1] }, { label: 'car', score: 0.4 }],
  });
  assert.equal(parsePrediction({ detections: [] }).classes, []);
});

records('malformed records name the bad field', () => {
  assert.throws(() => parsePrediction([1, 2]), /a prediction must be a JSON object/);
  assert.throws(() => parsePrediction({ foo: 1 }), /needs one of "label", "scores", "top" or "detections"/);
  assert.throws(() => parsePrediction({ label: '' }), /label must be a non-empty string/);
  assert.throws(() => parsePrediction({ label: 'cat', score: 'high' }), /score must be a finite number/);
  assert.throws(() => parsePrediction({ scores: {} }), /scores must be a non-empty object/);
  assert.throws(() => parsePrediction({ detections: [{ label: 'a' }, { label: 7 }] }), /detections\[1\]\.label must be a non-empty string, got 7/);
  assert.throws(() => parsePrediction({ top: [{ label: 'a', score: NaN }] }), /top\[0\]\.score must be a finite number/);
  assert.throws(() => parsePrediction({ detections: [{ label: 'a', box: [0, 0, 5] }] }), /detections\[0\]\.box must be \[x, y, width, height\]: four finite numbers, width and height >= 0, got \[0,0,5\]/);
  assert.throws(() => parsePrediction({ detections: [{ label: 'a', box: [0, 0, -5, 2] }] }), /detections\[0\]\.box must be/);
  assert.throws(() => parsePrediction({ detections: [{ label: 'a', box: [0, 0, '5', 2] }] }), /detections\[0\]\.box must be/);
  assert.throws(() => parsePrediction({ detections: [{ label: 'a' }, { label: 'b', score: 'x' }] }), /detections\[1\]\.score must be a finite number/);
  assert.throws(() => parsePrediction({ detections: [['a']] }), /detections\[0\] must be an object/);
  assert.throws(() => parsePrediction({ scores: { cat: 0.5, dog: null } }), /scores\.dog must be a finite number, got null/);
});

records.run();
