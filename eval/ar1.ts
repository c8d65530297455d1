// A stationary Gaussian AR(1) process x_t = phi x_{t-1} + sqrt(1 - phi^2) sd e_t:
// the temporally correlated wander of a camera (exposure, mount jitter).
import type { Prng } from './prng.js';

export class Ar1 {
  private x: number;
  private readonly innovation: number;

  /** Starts in the stationary distribution N(0, sd²), so there is no burn-in. */
  constructor(private readonly random: Prng, private readonly phi: number, sd: number) {
    if (!(phi >= 0 && phi < 1)) throw new RangeError(`phi must be in [0, 1); got ${phi}`);
    if (!(sd >= 0)) throw new RangeError(`sd must be >= 0; got ${sd}`);
    this.innovation = Math.sqrt(1 - phi * phi) * sd;
    this.x = random.normal() * sd;
  }

  get value(): number {
    return this.x;
  }

  next(): number {
    this.x = this.phi * this.x + this.innovation * this.random.normal();
    return this.x;
  }
}
