// Probable cause: a decision list over the pattern of findings, most specific
// rule first (the table and the reasons are in docs/causes.md). Each image
// rule needs its anchor (the change only that cause makes) and must explain
// most of the effect mass: findings are weighed by |effect| (median shift in
// baseline IQRs), capped, so the biggest changes decide and a darkening's
// side effects (less sharpness) do not outvote the darkening itself.
import { Pattern, PATTERN_LIMITS, weight } from './cause-pattern.js';
import { groupOf, SIGNATURES, type CauseLabel } from './cause-signatures.js';
import type { Finding } from './finding.js';

export const CAUSE_RULES = {
  ...PATTERN_LIMITS,
  /** Share of the image findings' weight a cause's signature must explain. */
  minShare: 0.7,
  /** The same when the change is broad: a single cause must then explain nearly all of it. */
  broadMinShare: 0.95,
  /** Shift of dark_fraction or bright_fraction (share of pixels) that counts as a blocked area ... */
  minBlockedFraction: 0.01,
  /** ... when it is also this many baseline IQRs: far outside what the camera's own wander does. */
  minBlockedEffect: 3,
  /** A relative change of luma_p95 or luma_std that differs from luma_mean's by more than this share of it is not a gain. */
  maxGainMismatch: 1 / 3,
  /** Rise of bright_fraction (share of pixels) that shows clipping highlights. */
  minClippedFraction: 0.03,
  /** Shift of saturation_mean (baseline IQRs) that counts as a change of colour: a gain leaves saturation as it is. */
  minSaturationEffect: 3,
  /** Fall of the light level (relative) a colourless block must cause before its saturation loss is read as one. */
  minBlockLevelFall: 0.02,
} as const;

export interface CauseExplanation {
  cause: CauseLabel;
  /** The rule that decided, as in docs/causes.md. */
  rule: string;
  /** Share of the image findings' weight the cause's signature explains; null for rules without a signature. */
  share: number | null;
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
 * A blocked area adds dark (or bright) pixels, well beyond the baseline's
 * spread, without scaling the frame the way a gain does, and its pixels
 * account for the change of light level.
 */
function blockedArea(p: Pattern, fraction: 'dark_fraction' | 'bright_fraction'): boolean {
  const f = p.byName.get(fraction);
  if (!f || f.direction !== 'up' || (f.shift ?? 0) < CAUSE_RULES.minBlockedFraction || f.effect < CAUSE_RULES.minBlockedEffect) return false;
  const mean = p.level('luma_mean');
  if (mean === null) return false;
  return levelFitsBlock(p, f.shift!) && (fraction === 'dark_fraction' ? notDarkGain(p, mean) : notBrightGain(p, mean));
}

/**
 * A gain < 1 moves luma_p95 and luma_std by the same ratio as luma_mean; a
 * dark block moves one of them differently (by more than a third of the
 * mean's change): over a bright part it takes the highlights (p95 falls more),
 * over a mid-grey part it spreads the histogram (std rises).
 */
function notDarkGain(p: Pattern, mean: number): boolean {
  // luma_mean not even listed (its latest frames within the camera's wander): no gain adds dark
  // pixels and leaves the level; a block growing over already dark parts does (astronaut at half size).
  if (!p.byName.has('luma_mean')) return true;
  const differs = (feature: string): boolean => {
    const x = p.level(feature);
    // A feature without a finding moved by under one IQR: taken as unchanged, as level() gives it.
    return x !== null && Math.abs(x - mean) > CAUSE_RULES.maxGainMismatch * Math.abs(mean);
  };
  return differs('luma_p95') || differs('luma_std');
}

/**
 * A dark, colourless block over a share s of the view takes s of the mean
 * HSV saturation (its pixels have none) and about s of the light level,
 * while a gain leaves saturation as it is. So saturation found falling at
 * least half as fast as the level, with the level's fall no larger than the
 * saturation's plus its ordinary wander, the channels down together and dark
 * pixels added (or dark_fraction not listed at all), is a block, even while
 * every other feature is still within its wander (a block growing over a
 * near-black sky).
 */
function colourlessDarkBlock(p: Pattern): boolean {
  const saturation = p.byName.get('saturation_mean');
  const dark = p.byName.get('dark_fraction');
  if (!saturation || saturation.direction !== 'down' || saturation.relativeChange === null) return false;
  if (saturation.implicated === false && saturation.effect > -CAUSE_RULES.minSaturationEffect) return false;
  // Dark pixels added; or none counted at all, where the block covers parts already dark: a darkening
  // adds them even there (hubble: +4% of the pixels by the time it fires) and raises saturation besides.
  if (dark && (dark.direction !== 'up' || (dark.shift ?? 0) < CAUSE_RULES.minBlockedFraction)) return false;
  const level = levelChange(p), lost = saturation.relativeChange;
  if (level > -CAUSE_RULES.minBlockLevelFall || lost > 0.5 * level) return false;
  if (-level > -lost + CAUSE_RULES.minLevelChange) return false;
  const channels = CHANNELS.map((c) => p.level(c) ?? 0);
  return channels.every((c) => c < 0) && channelsInProportion(p) && (!dark || levelFitsBlock(p, dark.shift!));
}

/** A bright block leaves the dark end (luma_p05) where it was; a gain > 1 clips, so p95 and std are no test. */
function notBrightGain(p: Pattern, mean: number): boolean {
  const end = p.level('luma_p05');
  return end !== null && Math.abs(end) < 0.5 * Math.abs(mean);
}

/**
 * A block over a share s of the view moves luma_mean by at most s × 255
 * levels, plus the light level's ordinary wander (5%): a change of level far
 * beyond that is not the block's (a new, brighter scene with a few clipped pixels).
 */
function levelFitsBlock(p: Pattern, share: number): boolean {
  const luma = p.byName.get('luma_mean');
  if (!luma || luma.shift === null) return true;
  const baselineMean = luma.relativeChange ? Math.abs(luma.shift / luma.relativeChange) : 0;
  return Math.abs(luma.shift) <= 255 * share + CAUSE_RULES.minLevelChange * baselineMean;
}

/** Channel means moving apart (one up, another down, each by >= 5%): no gain, blur or noise does that. */
function channelsApart(p: Pattern): boolean {
  const levels = CHANNELS.map((c) => p.level(c) ?? 0);
  return Math.max(...levels) >= CAUSE_RULES.minLevelChange && Math.min(...levels) <= -CAUSE_RULES.minLevelChange;
}

/**
 * The channel means moved in proportion, as a gain moves them: their relative
 * changes differ by at most half the light level's change. A cross-fade to
 * another scene lifts one channel more than the others.
 */
function channelsInProportion(p: Pattern): boolean {
  const levels = CHANNELS.map((c) => p.level(c) ?? 0);
  return Math.max(...levels) - Math.min(...levels) <= 0.5 * Math.abs(levelChange(p));
}

function levelChange(p: Pattern): number {
  return (p.byName.has('luma_mean') ? p.level('luma_mean') : p.level('luma_p50')) ?? 0;
}

// Most specific first; the first rule whose anchor holds and whose signature explains enough decides.
const IMAGE_RULES: readonly ImageRule[] = [
  {
    cause: 'occlusion',
    rule: 'dark (bright) fraction up by >= 0.01 of the pixels and >= 3 IQRs, not a uniform gain (dark: luma_mean not moved at all, or luma_p95 or luma_std off luma_mean\'s change by > 1/3 of it; bright: luma_p05 moving < half as much), the level change within what the block explains; or a colourless dark block (dark fraction up by >= 0.01, saturation_mean found falling at least half as fast as the level, which falls by >= 2% and by no more than saturation + 5%, channels down in proportion); and no texture added (at most one of sharpness, edges, gradient up)',
    anchor: (p) => (blockedArea(p, 'dark_fraction') || blockedArea(p, 'bright_fraction') || colourlessDarkBlock(p)) && p.count(DETAIL, 'up') < 2,
  },
  {
    cause: 'colour-cast',
    rule: 'channel means apart (not all three the same way), the hue histogram moved, or saturation_mean found changed by >= 3 IQRs; with luma_mean quiet',
    anchor: (p) => {
      const channels = CHANNELS.map((c) => p.byName.get(c)).filter((f): f is Finding => !!f && f.direction !== null);
      const apart = channels.length > 0 && !(channels.length === 3 && channels.every((f) => f.direction === channels[0].direction));
      const hue = p.byName.has('hue');
      // Found by the check, not only listed because its latest frames moved: at half size, added noise
      // moves saturation_mean by 0.4%, which is 13 of its IQRs, yet no colour cast is that small.
      const saturation = Math.abs(p.effect('saturation_mean')) >= CAUSE_RULES.minSaturationEffect
        && (p.found('saturation_mean', 'up') || p.found('saturation_mean', 'down'));
      const luma = p.byName.get('luma_mean');
      const colours = [...channels, p.byName.get('saturation_mean')].filter((f): f is Finding => !!f);
      const strongest = Math.max(0, ...colours.map(weight));
      const quiet = !luma || Math.abs(levelChange(p)) < CAUSE_RULES.minLevelChange || weight(luma) <= 0.5 * strongest;
      return (apart || hue || saturation) && quiet;
    },
  },
  {
    cause: 'low-light',
    rule: 'luma_mean (or luma_p50) down by >= 5%, channels not apart',
    anchor: (p) => levelChange(p) <= -CAUSE_RULES.minLevelChange && (p.moved('luma_mean', 'down') || p.moved('luma_p50', 'down')) && !channelsApart(p),
  },
  {
    cause: 'overexposure',
    rule: 'bright_fraction up by >= 0.03 of the pixels (clipping), or luma_mean up by >= 5% with the channels in proportion and no loss of detail; channels not apart',
    anchor: (p) => {
      const clipped = p.moved('bright_fraction', 'up') && (p.byName.get('bright_fraction')!.shift ?? 0) >= CAUSE_RULES.minClippedFraction;
      // The mean, which a gain scales exactly (the median of a dark scene also rises when noise is clipped at 0).
      const gain = (p.level('luma_mean') ?? 0) >= CAUSE_RULES.minLevelChange && channelsInProportion(p) && p.count(DETAIL, 'down') === 0;
      return (clipped || gain) && !channelsApart(p);
    },
  },
  {
    cause: 'noise',
    rule: 'noise_sigma or luma_entropy up, no detail lost, light level within ±10%, channels not apart',
    // Added noise spreads the histogram (entropy up) before noise_sigma, read through the scene's own texture, shows it.
    anchor: (p) => (p.moved('noise_sigma', 'up') || p.moved('luma_entropy', 'up')) && p.count(DETAIL, 'down') === 0
      && Math.abs(levelChange(p)) < 2 * CAUSE_RULES.minLevelChange && !channelsApart(p),
  },
  {
    cause: 'blur',
    rule: 'two or more of sharpness, edge_density, gradient_mean down, one of them found changed by the check; channels not apart',
    // A faint cross-fade to a smoother scene lowers the detail a little too, seen only in the latest frames.
    anchor: (p) => p.count(DETAIL, 'down') >= 2 && DETAIL.some((d) => p.found(d, 'down')) && !channelsApart(p),
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
  if (p.many) return { cause: 'scene-change', rule: '>= 40% of image features changed, in >= 2 groups, in no pattern above', share: null };
  return { cause: 'unknown', rule: 'no rule matched', share: null };
}

/** The probable cause label of a set of findings (docs/causes.md). */
export function probableCause(findings: readonly Finding[]): CauseLabel {
  return explainCause(findings).cause;
}
