// The summary each check interval: the accumulator that collects it and the
// body that carries it (docs/payload.md).
export { SummaryAccumulator, SUMMARY_SKETCH_K, type FeatureSummary, type FeatureSummaries, type SummaryAccumulatorOptions } from './summary-accumulator.js';
export {
  buildSummaryBody, decodeSummaryBody, summaryWire, uint32LE, readUint32LE, HISTOGRAM_BINS,
  type SummaryBody, type SummaryFeature, type SummaryTest, type SummaryInput,
} from './summary-body.js';
