// Probable cause: a decision list over the pattern of findings, most specific
// rule first (the table and the reasons are in docs/causes.md). Each image
// rule needs its anchor (the change only that cause makes) and must explain
// most of the effect mass: findings are weighed by |effect| (median shift in
// baseline IQRs), capped, so the biggest changes decide and a darkening's
// side effects (less sharpness) do not outvote the darkening itself.
import { SCALAR_FEATURES } from '../catalogue.js';
import { groupOf, SIGNATURES, type CauseLabel, type FeatureGroup, type Signature } from './cause-signatures.js';
import type { Finding, FindingDirection } from './finding.js';

export const CAUSE_RULES = {
  /** An |effect| beyond this many IQRs weighs the same: huge is huge. */
  effectCap: 10,
  /** Share of the image findings' weight a cause's signature must explain. */
  minShare: 0.7,
  /** The same when the change is broad (see below): a single cause must then explain nearly all of it. */
  broadMinShare: 0.95,
  /** Broad: at least this share of the image features changed ... */
  broadFeatureShare: 0.6,
  /** ... in at least 3 groups, none holding more than this share of the weight. */
  broadMaxGroupShare: 0.6,
  /** Relative change of luma_mean (or luma_p50) that counts as a change of light level, and of channel means that counts as apart. */
  minLevelChange: 0.05,
  /** Shift of dark_fraction or bright_fraction (share of pixels) that counts as a blocked area. */
  minBlockedFraction: 0.03,
} as const;

export interface CauseExplanation {
  cause: CauseLabel;
  /** The rule that decided, as in docs/causes.md. */
  rule: string;
  /** Share of the image findings' weight the cause's signature explains; null for rules without a signature. */
  share: number | null;
}

/** Image scalar features other than the frame geometry: the denominator of "broad". */
const IMAGE_FEATURES = SCALAR_FEATURES.filter((f) => groupOf(f.name) !== 'geometry').length;

const weight = (f: Finding): number => Math.min(Math.abs(f.effect), CAUSE_RULES.effectCap);

class Pattern {
  readonly byName = new Map<string, Finding>();
  /** Directed image findings (continuous, not prediction, not geometry): the ones weighed. */
  readonly weighed: Finding[];
  readonly mass: number;

  constructor(readonly findings: readonly Finding[]) {
    for (const f of findings) this.byName.set(f.feature, f);
    this.weighed = findings.filter((f) => f.direction !== null && !['prediction', 'geometry'].includes(groupOf(f.feature) ?? ''));
    this.mass = this.weighed.reduce((sum, f) => sum + weight(f), 0);
  }

  moved(feature: string, direction: FindingDirection): boolean {
    return this.byName.get(feature)?.direction === direction;
  }

  /** Relative change of a feature: 0 when it did not change, null when unknown (a baseline median of 0). */
  level(feature: string): number | null {
    const f = this.byName.get(feature);
    if (!f || f.direction === null) return 0;
    return f.relativeChange;
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

  get broad(): boolean {
    const distinct = new Set(this.weighed.map((f) => f.feature)).size;
    if (distinct < CAUSE_RULES.broadFeatureShare * IMAGE_FEATURES) return false;
    const byGroup = new Map<FeatureGroup | undefined, number>();
    for (const f of this.weighed) byGroup.set(groupOf(f.feature), (byGroup.get(groupOf(f.feature)) ?? 0) + weight(f));
    const largest = Math.max(...byGroup.values());
    return byGroup.size >= 3 && largest <= CAUSE_RULES.broadMaxGroupShare * this.mass;
  }
}

type SignedCause = keyof typeof SIGNATURES;

interface ImageRule {
  cause: SignedCause;
  rule: string;
  anchor(p: Pattern): boolean;
}

const DETAIL = ['sharpness', 'edge_density', 'gradient_mean'];
const CHANNELS = ['r_mean', 'g_mean', 'b_mean'];

/**
 * A blocked area adds dark (or bright) pixels without scaling the frame: the
 * other end of the histogram moves less than half as much as luma_mean, in
 * relative terms. For a dark block, luma_std moving differently from
 * luma_mean also shows it: a gain < 1 scales both by the same ratio (a gain
 * > 1 clips highlights, so that test is not used for bright blocks).
 */
function blockedArea(p: Pattern, fraction: 'dark_fraction' | 'bright_fraction'): boolean {
  const f = p.byName.get(fraction);
  if (!f || f.direction !== 'up' || (f.shift ?? 0) < CAUSE_RULES.minBlockedFraction) return false;
  const mean = p.level('luma_mean');
  if (mean === null) return false;
  const end = p.level(fraction === 'dark_fraction' ? 'luma_p95' : 'luma_p05');
  const endStays = end !== null && Math.abs(end) < 0.5 * Math.abs(mean);
  const std = p.level('luma_std');
  const notScaled = fraction === 'dark_fraction' && std !== null && Math.abs(std - mean) > 0.5 * Math.abs(mean);
  return endStays || notScaled;
}

/** Channel means moving apart (one up, another down, each by >= 5%): no gain, blur or noise does that. */
function channelsApart(p: Pattern): boolean {
  const levels = CHANNELS.map((c) => p.level(c) ?? 0);
  return Math.max(...levels) >= CAUSE_RULES.minLevelChange && Math.min(...levels) <= -CAUSE_RULES.minLevelChange;
}

function levelChange(p: Pattern): number {
  return (p.byName.has('luma_mean') ? p.level('luma_mean') : p.level('luma_p50')) ?? 0;
}

// Most specific first; the first rule whose anchor holds and whose signature explains enough decides.
const IMAGE_RULES: readonly ImageRule[] = [
  {
    cause: 'occlusion',
    rule: 'dark (bright) fraction up by >= 0.03 without a uniform gain (luma_p95 (p05) moving less than half as much as luma_mean, or for dark, luma_std not following luma_mean), and edges lost',
    anchor: (p) => (blockedArea(p, 'dark_fraction') || blockedArea(p, 'bright_fraction')) && p.moved('edge_density', 'down'),
  },
  {
    cause: 'colour-cast',
    rule: 'channel means apart (not all three the same way) or the hue histogram moved, with luma_mean quiet',
    anchor: (p) => {
      const channels = CHANNELS.map((c) => p.byName.get(c)).filter((f): f is Finding => !!f && f.direction !== null);
      const apart = channels.length > 0 && !(channels.length === 3 && channels.every((f) => f.direction === channels[0].direction));
      const hue = p.byName.has('hue');
      const luma = p.byName.get('luma_mean');
      const strongest = Math.max(0, ...channels.map(weight));
      const quiet = !luma || weight(luma) <= 0.5 * strongest;
      return (apart || hue) && quiet;
    },
  },
  {
    cause: 'low-light',
    rule: 'luma_mean (or luma_p50) down by >= 5%, channels not apart',
    anchor: (p) => levelChange(p) <= -CAUSE_RULES.minLevelChange && (p.moved('luma_mean', 'down') || p.moved('luma_p50', 'down')) && !channelsApart(p),
  },
  {
    cause: 'overexposure',
    rule: 'bright_fraction up, or luma up by >= 5% without loss of detail; channels not apart',
    anchor: (p) => (p.moved('bright_fraction', 'up') ||
      (levelChange(p) >= CAUSE_RULES.minLevelChange && !DETAIL.some((d) => p.moved(d, 'down')))) && !channelsApart(p),
  },
  {
    cause: 'noise',
    rule: 'noise_sigma up, light level within ±10%, channels not apart',
    anchor: (p) => p.moved('noise_sigma', 'up') && Math.abs(levelChange(p)) < 2 * CAUSE_RULES.minLevelChange && !channelsApart(p),
  },
  {
    cause: 'blur',
    rule: 'two or more of sharpness, edge_density, gradient_mean down, channels not apart',
    anchor: (p) => DETAIL.filter((d) => p.moved(d, 'down')).length >= 2 && !channelsApart(p),
  },
];

/** The probable cause of a set of findings and the rule that decided it. */
export function explainCause(findings: readonly Finding[]): CauseExplanation {
  if (!Array.isArray(findings)) throw new TypeError('findings must be an array of Finding');
  const p = new Pattern(findings);
  if (findings.length === 0) return { cause: 'unknown', rule: 'no findings', share: null };
  const image = findings.filter((f) => groupOf(f.feature) !== 'prediction');
  if (image.length === 0) return { cause: 'model-uncertainty', rule: 'only prediction features changed', share: null };
  // Image features the check did not flag, listed because their latest frames
  // moved, are noise beside a prediction change the check did flag.
  if (image.length < findings.length && image.every((f) => f.implicated === false)) {
    return { cause: 'model-uncertainty', rule: 'only prediction features were found changed; the image features listed moved within noise', share: null };
  }
  if (image.some((f) => groupOf(f.feature) === 'geometry')) return { cause: 'scene-change', rule: 'the frame size changed', share: null };
  const broad = p.broad;
  const minShare = broad ? CAUSE_RULES.broadMinShare : CAUSE_RULES.minShare;
  for (const r of IMAGE_RULES) {
    if (!r.anchor(p)) continue;
    const share = p.share(SIGNATURES[r.cause]);
    if (share >= minShare) return { cause: r.cause, rule: r.rule, share };
  }
  if (broad) return { cause: 'scene-change', rule: '>= 60% of image features changed across >= 3 groups, none dominating', share: null };
  return { cause: 'unknown', rule: 'no rule matched', share: null };
}

/** The probable cause label of a set of findings (docs/causes.md). */
export function probableCause(findings: readonly Finding[]): CauseLabel {
  return explainCause(findings).cause;
}
