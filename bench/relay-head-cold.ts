// What the proxy relay's per-call head work costs when it runs cold, alone
// (a few seconds; not part of `npm run bench`):
//   node dist/bench/relay-head-cold.js
// The relay parses a request head and rewrites it for the upstream, then,
// after the upstream's few idle milliseconds, parses the response head and
// rewrites it for the client. The same work is timed back to back (hot)
// and after idle gaps like the upstream's: the ratio is what idling does to
// the relay's code on this machine (caches, the CPU waking), measured in
// one run.
import { parseRequestHead, parseResponseHead, type RequestHead } from '../edge/http/http1-head.js';
import { requestFraming, responseFraming } from '../edge/http/body-framing.js';
import { clientResponseHead } from '../edge/http/head-rewrite.js';
import { upstreamRequestHead } from '../edge/sources/hop-by-hop.js';
import { markdownTable } from './timing.js';

const request = Buffer.from('POST /predict HTTP/1.1\r\ncontent-type: image/jpeg\r\ncontent-length: 76800\r\nHost: 127.0.0.1:8080\r\nConnection: keep-alive\r\n\r\n', 'latin1');
const response = Buffer.from('HTTP/1.1 200 OK\r\nDate: Wed, 02 Dec 2026 06:07:10 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 8\r\n\r\n{"ok":1}', 'latin1');

function headWork(): number {
  const head = parseRequestHead(request) as RequestHead;
  let bytes = upstreamRequestHead(head, '127.0.0.1:3000').length + (requestFraming(head) === 'invalid' ? 1 : 0);
  const answer = parseResponseHead(response);
  if (answer === 'incomplete' || answer === 'malformed') throw new Error('the sample response does not parse');
  bytes += clientResponseHead(answer, true, 5000).length + (responseFraming(answer, head) === 'invalid' ? 1 : 0);
  return bytes;
}

async function medianMicroseconds(gapMs: number, calls: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    await new Promise((resolve) => (gapMs === 0 ? setImmediate(resolve) : setTimeout(resolve, gapMs)));
    const start = process.hrtime.bigint();
    headWork();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

for (let i = 0; i < 20000; i++) headWork(); // optimised before timing
const rows: Record<string, string>[] = [];
const hot = await medianMicroseconds(0, 300);
for (const gap of [0, 1, 5, 20]) {
  const median = gap === 0 ? hot : await medianMicroseconds(gap, 300);
  rows.push({ 'idle before each call': gap === 0 ? 'none (back to back)' : `${gap} ms`, 'median µs': median.toFixed(1), 'against back to back': `${(median / hot).toFixed(1)}×` });
}
process.stdout.write(`Run ${new Date().toISOString()}, Node ${process.version}: one request head and one response head parsed, framed and rewritten, 300 calls per row.\n\n`
  + markdownTable({ title: 'relay head work, hot and after idling', rows }));
