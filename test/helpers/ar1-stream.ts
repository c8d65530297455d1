// Seeded streams for the window tests: a 32-bit counter-based generator
// (Weyl sequence through a murmur3-style finaliser) and Gaussian AR(1) noise.

export class SeededRandom {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  uint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in (0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.uint32() >>> 5, low = this.uint32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /** Standard normal by Box–Muller (pairs, the second kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }
}

/** Stationary sd of x_t = phi x_{t-1} + e_t with unit-variance e_t. */
export function ar1StationarySd(phi: number): number {
  return 1 / Math.sqrt(1 - phi * phi);
}

/** n consecutive values of a stationary Gaussian AR(1), started in its stationary distribution. */
export function ar1Stream(random: SeededRandom, phi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let x = random.normal() * ar1StationarySd(phi);
  for (let i = 0; i < n; i++) {
    out[i] = x;
    x = phi * x + random.normal();
  }
  return out;
}

/** n independent draws from the AR(1)'s stationary distribution N(0, 1/(1 − phi²)). */
export function stationaryDraws(random: SeededRandom, phi: number, n: number): Float64Array {
  const sd = ar1StationarySd(phi);
  return Float64Array.from({ length: n }, () => random.normal() * sd);
}
