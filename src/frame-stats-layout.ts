// Reading frame statistics out of a module's output region. The kernel
// module (frameStats) and the JPEG module (jpegMeasure) compile the same
// layout (assembly/frame/layout.ts) and export its offsets as globals, so
// each is read by the offsets it exports itself.
import { SCALAR_FEATURES, HISTOGRAM_FEATURES, type ScalarFeatureName, type HistogramName } from './catalogue.js';

export interface FrameStats {
  width: number;
  height: number;
  features: Record<ScalarFeatureName, number>;
  histograms: Record<HistogramName, Uint32Array>;
}

type ModuleExports = Record<string, unknown>;

/** The value of an exported WebAssembly.Global; `what` names the module in the error. */
export function globalValue(exports: ModuleExports, what: string, name: string): number {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) {
    throw new TypeError(`${what} does not export ${name}: is build/ from another driftwatch version?`);
  }
  return g.value as number;
}

export class FrameStatsLayout {
  /** Bytes of the output region. */
  readonly outBytes: number;
  private readonly featureSlots: number[];
  private readonly lumaHistOffset: number;
  private readonly hueHistOffset: number;

  /** `what` names the module in errors ("kernel module", "JPEG module"). */
  constructor(exports: ModuleExports, what: string) {
    this.featureSlots = SCALAR_FEATURES.map((f) => globalValue(exports, what, `feature_${f.name}`));
    if (globalValue(exports, what, 'FEATURE_COUNT') !== SCALAR_FEATURES.length) {
      throw new TypeError(`${what} and feature catalogue disagree on the number of features`);
    }
    this.lumaHistOffset = globalValue(exports, what, 'OUT_LUMA_HIST');
    this.hueHistOffset = globalValue(exports, what, 'OUT_HUE_HIST');
    this.outBytes = globalValue(exports, what, 'OUT_BYTES');
  }

  /** The statistics at byte `out` of `buffer`, copied out. */
  read(buffer: ArrayBuffer, out: number, width: number, height: number): FrameStats {
    const scalars = new Float64Array(buffer, out, this.featureSlots.length);
    const features = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURES.forEach((f, i) => { features[f.name] = scalars[this.featureSlots[i]]; });
    const [luma, hue] = HISTOGRAM_FEATURES;
    return {
      width,
      height,
      features,
      histograms: {
        luma: new Uint32Array(buffer.slice(out + this.lumaHistOffset, out + this.lumaHistOffset + 4 * luma.bins)),
        hue: new Uint32Array(buffer.slice(out + this.hueHistOffset, out + this.hueHistOffset + 4 * hue.bins)),
      },
    };
  }
}
