// driftwatch's portable core: runs unchanged in Node, Deno and browsers.
export { loadKernels, buildFileName, type LoadOptions, type KernelSource, type KernelBytes } from './loader.js';
export { Kernels, type FrameOptions, type FrameStats } from './kernels.js';
export { simdSupported } from './simd-support.js';
export { JpegDecoder, JPEG_SCALES, DEFAULT_JPEG_MAX_PIXELS, type JpegScale, type JpegDecodeOptions, type JpegImage, type JpegHeader } from './jpeg/jpeg-decoder.js';
export { loadJpegDecoder, jpegBuildFileName, type JpegLoadOptions } from './jpeg/jpeg-loader.js';
export { JpegDecodeError, JpegUnsupportedError } from './jpeg/jpeg-status.js';
export { type PixelFormat, BYTES_PER_PIXEL } from './frame-format.js';
export {
  CATALOGUE_VERSION, SCALAR_FEATURES, SCALAR_FEATURE_NAMES, HISTOGRAM_FEATURES, PREDICTION_FEATURES, PREDICTION_FEATURE_NAMES, isPredictionFeature,
  type ScalarFeatureName, type HistogramName, type FeatureInfo, type FeatureKind, type PredictionFeatureName,
} from './catalogue.js';
export { ks2samp, type Ks2sampOptions, type Ks2sampResult, type KsMethod, type Alternative } from './stats/ks2samp.js';
export { ksWeighted, type WeightedSample, type WeightedKsResult } from './stats/weighted-ks.js';
export { wasserstein1, type WassersteinOptions } from './stats/wasserstein.js';
export { psi, type PsiOptions, type PsiResult } from './stats/psi.js';
export { klDivergence, jensenShannon, type JensenShannon } from './stats/divergence.js';
export { hellinger } from './stats/hellinger.js';
export { chiSquareHomogeneity, type ChiSquareOptions, type ChiSquareResult } from './stats/chi-square.js';
export { gammaP, gammaQ, chiSquareSf } from './stats/gamma.js';
export { benjaminiHochberg, type MultipleTestingResult } from './stats/benjamini-hochberg.js';
export { bonferroni } from './stats/bonferroni.js';
export { CategoricalCounts, OVERFLOW_CATEGORY, DEFAULT_MAX_CATEGORIES, type CategoricalCountsOptions, type CategoricalCountsJSON } from './categorical/categorical-counts.js';
export { parsePrediction, type PredictionRecord, type PredictionKind, type PredictionShape, type ClassScore, type Detection, type Box } from './predictions/prediction-record.js';
export { predictionFeatures, type PredictionFeatureValues, type PredictionFeatureOptions, type FrameSize } from './predictions/prediction-features.js';
export {
  BASELINE_FORMAT_VERSION, BaselineFormatError, BaselineVersionError, featureReference,
  decodeSettingsOf, DEFAULT_DECODE_SETTINGS, type DecodeSettings,
  type Baseline, type BaselineHeader, type BaselineModel, type FeatureReference,
} from './baseline/baseline.js';
export { encodeBaseline, decodeBaseline, type BaselineContent } from './baseline/baseline-codec.js';
export { measureTemporal, calibratedThreshold, MIN_TEMPORAL_FRAMES, type BaselineTemporal, type MeasureTemporalOptions } from './baseline/temporal.js';
export { BaselineBuilder, PREDICTED_CLASS, type BaselineBuilderOptions, type FrameForBaseline, type BaselineMeta } from './baseline/baseline-builder.js';
export { QuantileSketch, EmptySketchError, type QuantileSketchOptions } from './sketch/quantile-sketch.js';
export { ksSketches, type SketchKsOptions, type SketchKsResult } from './sketch/ks-sketches.js';
export { SlidingCountWindow, TumblingCountWindow, type CountWindowOptions } from './window/count-windows.js';
export { SlidingTimeWindow, TumblingTimeWindow, DEFAULT_TIME_CAPACITY, type TimeWindowOptions } from './window/time-windows.js';
export { createWindow, windowFromJSON, type WindowSpec } from './window/create-window.js';
export { type FeatureWindow, type WindowKind, type WindowDrops } from './window/feature-window.js';
export { BYTES_PER_SLOT } from './window/timed-ring.js';
export { FrameRateSampler, type FrameRateSamplerOptions } from './window/frame-rate-sampler.js';
export { effectiveSampleSize, DEFAULT_MAX_LAG, type EffectiveSizeOptions } from './window/effective-size.js';
export { SortedReference, type ReferenceDistribution } from './window/reference.js';
export { ksWindowTest, type KsWindowTestOptions, type KsWindowTestResult } from './window/ks-window-test.js';
export { CameraWindows, DEFAULT_WINDOW, type CameraWindowsOptions, type CameraFrameCounts, type CameraWindowsJSON } from './window/camera-windows.js';
export { runCheck, type CheckOptions, type CheckInput, type CheckResult } from './policy/check.js';
export { type FeatureTest, type FeatureTestKind } from './policy/feature-test.js';
export { type DriftDetector, type DriftDirection, type DetectorJSON } from './detectors/detector.js';
export { Cusum, CUSUM_DEFAULTS, type CusumOptions } from './detectors/cusum.js';
export { PageHinkley, PAGE_HINKLEY_DEFAULTS, type PageHinkleyOptions, type PageHinkleyMode } from './detectors/page-hinkley.js';
export { findingFromTest, unitOf, type Finding, type FindingDirection } from './policy/finding.js';
export { describeFinding } from './policy/describe-finding.js';
export { SIGNATURES, FEATURE_GROUPS, groupOf, type CauseLabel, type Signature, type Expected, type FeatureGroup } from './policy/cause-signatures.js';
export { probableCause, explainCause, CAUSE_RULES, type CauseExplanation } from './policy/probable-cause.js';
export { AlertLifecycle, ALERT_LIFECYCLE_DEFAULTS, type AlertLifecycleOptions } from './policy/alert-lifecycle.js';
export { ALERT_STATES, type AlertState, type AlertEvent, type Verdict } from './policy/alert-types.js';
export { autocorrelationTime, autocorrelationTimes, STABLE_STRETCH_MAX_LAG } from './policy/autocorrelation-time.js';
export { SequentialBank, SEQUENTIAL_DEFAULTS, type SequentialOptions } from './policy/sequential-bank.js';
export {
  DriftMonitor, DRIFT_MONITOR_DEFAULTS, type DriftMonitorOptions, type MonitorFrame,
  type DriftMonitorConfig, type DriftMonitorContext, type DriftMonitorJSON,
} from './policy/drift-monitor.js';
export { CheckpointFormatError, CheckpointMismatchError } from './codec/checkpoint-fields.js';
export { monitoredFeatures } from './policy/monitored-features.js';
export { blockBootstrap, seededUniform } from './policy/block-bootstrap.js';
export { calibrateSequential, type CalibrationInput, type CalibrationResult } from './policy/calibration.js';
