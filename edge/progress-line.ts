// One progress line for long jobs: a bar, the count, the rate and the time left.

export function progressLine(done: number, total: number, elapsedMs: number, unit = 'frames'): string {
  const width = 24;
  const share = total > 0 ? done / total : 1;
  const filled = Math.round(share * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
  const eta = left === undefined ? '' : `, ${left}s left`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit} (${Math.floor(share * 100)}%, ${rate.toFixed(1)}/s${eta})`;
}
