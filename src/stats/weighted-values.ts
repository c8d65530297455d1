// A distribution given as values with non-negative weights, checked and
// sorted by value (weights travel with their values).
import { finiteSample, nonNegativeWeights, type Sample } from './validate.js';

export interface WeightedValues {
  values: Float64Array;
  weights: Float64Array;
}

export function sortedWeighted(name: string, values: Sample, weights?: Sample): WeightedValues {
  const v = finiteSample(`${name}.values`, values);
  const w = weights === undefined ? new Float64Array(v.length).fill(1) : nonNegativeWeights(`${name}.weights`, weights, v.length);
  let ascending = true;
  for (let i = 1; i < v.length && ascending; i++) ascending = v[i - 1] <= v[i];
  if (ascending) return { values: v, weights: w };
  const order = Array.from(v.keys()).sort((i, j) => v[i] - v[j]);
  return { values: Float64Array.from(order, (i) => v[i]), weights: Float64Array.from(order, (i) => w[i]) };
}
