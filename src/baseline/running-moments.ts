// Count, mean, population variance, min and max of a stream, by Welford's
// update (stable without a second pass).

export class RunningMoments {
  count = 0;
  mean = 0;
  min = Infinity;
  max = -Infinity;
  private m2 = 0;

  update(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Population standard deviation; 0 for fewer than two values. */
  get std(): number {
    return this.count > 1 ? Math.sqrt(Math.max(0, this.m2 / this.count)) : 0;
  }
}
