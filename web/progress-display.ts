// The progress bar and its status line, redrawn at most every intervalMs
// (and always for the last frame): redrawing them for every frame cost the
// page's main thread, and with it the review worker on a 2-core machine, a
// few ms a frame (BENCHMARKS.md, "Review page").
export class ProgressDisplay {
  private shownAt = -Infinity;

  constructor(private readonly show: (done: number, total: number) => void, private readonly intervalMs = 100) {}

  update(done: number, total: number): void {
    const now = performance.now();
    if (done < total && now - this.shownAt < this.intervalMs) return;
    this.shownAt = now;
    this.show(done, total);
  }
}
