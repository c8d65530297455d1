// "Did you mean": the known name closest to a mistyped one, when close enough
// to be a typo rather than a different word.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

// check_every, check-every and CheckEvery are the same words as checkEvery.
const normalize = (name: string): string => name.toLowerCase().replace(/[-_.\s]/g, '');

/** The closest of `known` to `name`, or null when none is within a typo's reach. */
export function closestName(name: string, known: Iterable<string>): string | null {
  const wanted = normalize(name);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const reach = Math.max(1, Math.floor(wanted.length / 4));
  return bestDistance <= reach ? best : null;
}

/** "; did you mean 'x'?" or nothing. */
export function didYouMean(name: string, known: Iterable<string>, quote = (s: string) => `'${s}'`): string {
  const match = closestName(name, known);
  return match === null ? '' : `; did you mean ${quote(match)}?`;
}
