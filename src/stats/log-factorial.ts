// log(k!) from a table built once with compensated summation, so that a
// binomial coefficient exp(logBinomial) carries a relative error near 1e-13
// for arguments in the thousands. Beyond the table: Stirling's series.
let table = new Float64Array([0, 0]);

function extendTo(n: number): void {
  const next = new Float64Array(Math.max(n + 1, table.length * 2));
  next.set(table);
  let sum = table[table.length - 1], carry = 0;
  for (let k = table.length; k < next.length; k++) {
    const term = Math.log(k);
    const t = sum + term;
    carry += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
    next[k] = sum + carry;
  }
  table = next;
}

const TABLE_LIMIT = 1 << 20;

export function logFactorial(n: number): number {
  if (n < 0 || !Number.isInteger(n)) throw new RangeError(`logFactorial needs a non-negative integer, got ${n}`);
  if (n < table.length) return table[n];
  if (n < TABLE_LIMIT) {
    extendTo(n);
    return table[n];
  }
  // Stirling: (n+1/2) log n - n + log(2 pi)/2 + 1/(12n) - 1/(360n^3) + 1/(1260 n^5).
  const inv = 1 / n, inv2 = inv * inv;
  return (n + 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** The table of log(k!) for k = 0 .. n at least (for loops that read many entries). */
export function logFactorials(n: number): Float64Array {
  if (n >= TABLE_LIMIT) throw new RangeError(`logFactorials is tabulated up to ${TABLE_LIMIT - 1}, asked for ${n}`);
  if (n >= table.length) extendTo(n);
  return table;
}

export function logBinomial(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}
