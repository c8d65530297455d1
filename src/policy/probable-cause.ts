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
  broadMinShare: 0.9,
  /** Broad: at least this share of the image features changed ... */
  broadFeatureShare: 0.6,
  /** ... in at least 3 groups, none holding more than this share of the weight. */
  broadMaxGroupShare: 0.6,
  /** Relative change of luma_mean (or luma_p50) that counts as a change of light level. */
  minLevelChange: 0.05,
  /** Shift of dark_fraction or bright_fraction (share of pixels) that counts as a blocked area. */
  minBlockedFraction: 0.1,
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

  /** Relative change of a level feature, falling back on effect / 20 when the baseline median was 0. */
  level(feature: string): number {
    const f = this.byName.get(feature);
    if (!f || f.direction === null) return 0;
    return f.relativeChange ?? f.effect / 20;
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

function blockedArea(p: Pattern, fraction: string, oppositeEnd: string, oppositeWay: FindingDirection): boolean {
  const f = p.byName.get(fraction);
  return !!f && f.direction === 'up' && (f.shift ?? 0) >= CAUSE_RULES.minBlockedFraction && !p.moved(oppositeEnd, oppositeWay);
}

function levelChange(p: Pattern): number {
  return p.byName.has('luma_mean') ? p.level('luma_mean') : p.level('luma_p50');
}

// Most specific first; the first rule whose anchor holds and whose signature explains enough decides.
const IMAGE_RULES: readonly ImageRule[] = [
  {
    cause: 'occlusion',
    rule: 'dark or bright fraction up by >= 0.1 while the other end of the histogram stays, and edges lost',
    anchor: (p) => (blockedArea(p, 'dark_fraction', 'luma_p95', 'down') || blockedArea(p, 'bright_fraction', 'luma_p05', 'up')) && p.moved('edge_density', 'down'),
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
    rule: 'luma_mean (or luma_p50) down by >= 5%',
    anchor: (p) => levelChange(p) <= -CAUSE_RULES.minLevelChange && (p.moved('luma_mean', 'down') || p.moved('luma_p50', 'down')),
  },
  {
    cause: 'overexposure',
    rule: 'bright_fraction up, or luma up by >= 5% without loss of detail',
    anchor: (p) => p.moved('bright_fraction', 'up') ||
      (levelChange(p) >= CAUSE_RULES.minLevelChange && !DETAIL.some((d) => p.moved(d, 'down'))),
  },
  { cause: 'noise', rule: 'noise_sigma up', anchor: (p) => p.moved('noise_sigma', 'up') },
  { cause: 'blur', rule: 'two or more of sharpness, edge_density, gradient_mean down', anchor: (p) => DETAIL.filter((d) => p.moved(d, 'down')).length >= 2 },
];

/** The probable cause of a set of findings and the rule that decided it. */
export function explainCause(findings: readonly Finding[]): CauseExplanation {
  if (!Array.isArray(findings)) throw new TypeError('findings must be an array of Finding');
  const p = new Pattern(findings);
  if (findings.length === 0) return { cause: 'unknown', rule: 'no findings', share: null };
  const image = findings.filter((f) => groupOf(f.feature) !== 'prediction');
  if (image.length === 0) return { cause: 'model-uncertainty', rule: 'only prediction features changed', share: null };
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
