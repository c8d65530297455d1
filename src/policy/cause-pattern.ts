// The findings of a check as the probable-cause rules read them: by feature,
// with the weights, shares and measures the rules' anchors are written in
// (docs/causes.md, "Terms").
import { SCALAR_FEATURES } from '../catalogue.js';
import { groupOf, type FeatureGroup, type Signature } from './cause-signatures.js';
import type { Finding, FindingDirection } from './finding.js';

export const PATTERN_LIMITS = {
  /** An |effect| beyond this many IQRs weighs the same: huge is huge. */
  effectCap: 10,
  /** Many: at least this share of the image features changed, in 2 groups or more. */
  manyFeatureShare: 0.4,
  /** Broad: at least this share of the image features changed ... */
  broadFeatureShare: 0.6,
  /** ... in at least 3 groups, none holding more than this share of the weight. */
  broadMaxGroupShare: 0.6,
  /** Relative change of luma_mean (or luma_p50) that counts as a change of light level, and of channel means that counts as apart. */
  minLevelChange: 0.05,
} as const;

/** Image scalar features other than the frame geometry: the denominator of "broad". */
const IMAGE_FEATURES = SCALAR_FEATURES.filter((f) => groupOf(f.name) !== 'geometry').length;

/** Features that read the light level: their relative change is comparable with a gain. */
const LEVEL_FEATURES = new Set(['luma_mean', 'luma_p50', 'luma_p95', 'luma_std', 'r_mean', 'g_mean', 'b_mean', 'colorfulness']);

export const weight = (f: Finding): number => Math.min(Math.abs(f.effect), PATTERN_LIMITS.effectCap);

/**
 * A level the check did not find changed, listed only because its latest
 * frames moved, by less than a light-level change: the exposure's ordinary
 * wander (±3% on the harness), which would otherwise count against every
 * cause that keeps the level (a blur seen during a dip of 3% looked broad).
 */
function wander(f: Finding): boolean {
  return f.implicated === false && LEVEL_FEATURES.has(f.feature) && f.relativeChange !== null
    && Math.abs(f.relativeChange) < PATTERN_LIMITS.minLevelChange;
}

export class Pattern {
  readonly byName = new Map<string, Finding>();
  /** Directed image findings (continuous, not prediction, not geometry, not level wander): the ones weighed. */
  readonly weighed: Finding[];
  readonly mass: number;

  constructor(readonly findings: readonly Finding[]) {
    for (const f of findings) this.byName.set(f.feature, f);
    this.weighed = findings.filter((f) => f.direction !== null && !['prediction', 'geometry'].includes(groupOf(f.feature) ?? '') && !wander(f));
    this.mass = this.weighed.reduce((sum, f) => sum + weight(f), 0);
  }

  moved(feature: string, direction: FindingDirection): boolean {
    return this.byName.get(feature)?.direction === direction;
  }

  /** Moved that way and found changed by the check (not only listed because its latest frames moved). */
  found(feature: string, direction: FindingDirection): boolean {
    const f = this.byName.get(feature);
    return f?.direction === direction && f.implicated !== false;
  }

  /** Effect of a feature in baseline IQRs, signed; 0 when it did not change. */
  effect(feature: string): number {
    const f = this.byName.get(feature);
    return f && f.direction !== null ? f.effect : 0;
  }

  /** Relative change of a feature: 0 when it did not change, null when unknown (a baseline median of 0). */
  level(feature: string): number | null {
    const f = this.byName.get(feature);
    if (!f || f.direction === null) return 0;
    return f.relativeChange;
  }

  /** How many of `features` moved `direction`. */
  count(features: readonly string[], direction: FindingDirection): number {
    return features.filter((name) => this.moved(name, direction)).length;
  }

  /** 1 when nothing is weighed (only histograms changed): nothing contradicts the anchor. */
  share(signature: Signature): number {
    if (this.mass === 0) return 1;
    let explained = 0;
    for (const f of this.weighed) {
      const expected = signature[f.feature];
      if (expected === 'any' || expected === f.direction) explained += weight(f);
    }
    return explained / this.mass;
  }

  /** The weight of each feature group among `findings`. */
  private static groups(findings: readonly Finding[]): Map<FeatureGroup | undefined, number> {
    const byGroup = new Map<FeatureGroup | undefined, number>();
    for (const f of findings) byGroup.set(groupOf(f.feature), (byGroup.get(groupOf(f.feature)) ?? 0) + weight(f));
    return byGroup;
  }

  private static features(findings: readonly Finding[]): number {
    return new Set(findings.map((f) => f.feature)).size;
  }

  /**
   * At least 40% of the image features moved, in at least 2 groups, counting
   * the level wander: a faint new scene moves many features a little, as no
   * single cause's side effects do.
   */
  get many(): boolean {
    const moved = this.findings.filter((f) => f.direction !== null && !['prediction', 'geometry'].includes(groupOf(f.feature) ?? ''));
    return Pattern.features(moved) >= PATTERN_LIMITS.manyFeatureShare * IMAGE_FEATURES && Pattern.groups(moved).size >= 2;
  }

  /** At least 60% of the image features changed (level wander aside), in at least 3 groups, none holding more than 60% of the weight. */
  get broad(): boolean {
    if (Pattern.features(this.weighed) < PATTERN_LIMITS.broadFeatureShare * IMAGE_FEATURES) return false;
    const byGroup = Pattern.groups(this.weighed);
    return byGroup.size >= 3 && Math.max(...byGroup.values()) <= PATTERN_LIMITS.broadMaxGroupShare * this.mass;
  }
}
