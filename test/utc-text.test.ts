// UTC times as text without Date methods: the HTTP Date header the same as
// toUTCString() and the log timestamp the same as toISOString() for any
// time; the listen server's answers carry the header without node:http
// formatting its own, and the logger stamps lines without toISOString
// (either would load ICU's time-zone data into the agent; docs/memory.md).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { httpDate, httpDateNow, isoTime } from '../edge/utc-text.js';
import { createLogger } from '../edge/observability/logger.js';
import { ListenServer } from '../edge/http/listen-server.js';
import { sendJson } from '../edge/http/http-error.js';
import { send } from './helpers/http-client.js';
import { SeededRandom } from './helpers/ar1-stream.js';

const date = suite('utc text');

/** Runs `work` with every Date.prototype method counted; returns the names called. */
async function dateMethodsCalledBy(work: () => Promise<void> | void): Promise<string[]> {
  const calls: string[] = [];
  const prototype = Date.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of Object.getOwnPropertyNames(Date.prototype)) {
    const original = prototype[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    originals.set(name, original);
    prototype[name] = function (this: Date, ...args: unknown[]) {
      calls.push(name);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
  }
  return calls;
}

date('matches toUTCString at calendar edges', () => {
  const edges = [
    0, -1, 999, 1000, 86_399_999, 86_400_000,
    Date.UTC(2000, 1, 28, 23, 59, 59), Date.UTC(2000, 1, 29, 12), Date.UTC(2000, 2, 1), // a leap year of 400
    Date.UTC(1900, 1, 28, 23, 59, 59), Date.UTC(1900, 2, 1), // not a leap year (100)
    Date.UTC(2100, 1, 28), Date.UTC(2100, 2, 1), Date.UTC(2024, 1, 29), Date.UTC(2023, 11, 31, 23, 59, 59, 999),
    Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(1969, 11, 31, 23, 59, 59, 500),
  ];
  for (const ms of edges) {
    assert.is(httpDate(ms), new Date(ms).toUTCString(), `at ${ms}`);
    assert.is(isoTime(ms), new Date(ms).toISOString(), `at ${ms}`);
  }
  const yearFive = new Date(0); yearFive.setUTCFullYear(5, 0, 1);
  assert.is(isoTime(yearFive.getTime()), yearFive.toISOString()); // years below 1000 are zero-padded
});

date('matches toUTCString and toISOString at 200,000 seeded times from year 1000 to 9999', () => {
  const random = new SeededRandom(20261202);
  const from = Date.UTC(1000, 0, 1), to = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  for (let i = 0; i < 200_000; i++) {
    const ms = from + Math.floor(random.uniform() * (to - from));
    assert.is(httpDate(ms), new Date(ms).toUTCString(), `at ${ms}`);
    assert.is(isoTime(ms), new Date(ms).toISOString(), `at ${ms}`);
  }
});

date('refuses a time that is not finite', () => {
  assert.throws(() => httpDate(Number.NaN), /must be finite, got NaN/);
  assert.throws(() => isoTime(Number.POSITIVE_INFINITY), /must be finite, got Infinity/);
});

date('httpDateNow changes with the second', () => {
  const t = Date.UTC(2026, 11, 2, 11, 30, 0);
  assert.is(httpDateNow(t), 'Wed, 02 Dec 2026 11:30:00 GMT');
  assert.is(httpDateNow(t + 999), 'Wed, 02 Dec 2026 11:30:00 GMT');
  assert.is(httpDateNow(t + 1000), 'Wed, 02 Dec 2026 11:30:01 GMT');
});

date('the listen server answers with a Date header and calls no Date method for it', async () => {
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  const { port } = await server.listen();
  server.route('GET', '/healthz', (_request, response) => sendJson(response, 200, { ok: true }));
  // node:http's own header would call getMilliseconds and toUTCString.
  let answer: Awaited<ReturnType<typeof send>> | undefined;
  let calls: string[];
  try {
    calls = await dateMethodsCalledBy(async () => {
      answer = await send(`http://127.0.0.1:${port}/healthz`);
    });
  } finally {
    await server.close();
  }
  if (!answer) throw new Error('no answer');
  assert.is(answer.status, 200);
  const header = String(answer.headers.date);
  assert.match(header, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
  assert.ok(Math.abs(Date.parse(header) - Date.now()) < 5000, header);
  assert.equal(calls, [], `Date methods called while serving: ${calls.join(', ')}`);
});

date('log lines carry an ISO time stamped without Date methods', async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', device: 'box', destination: { write: (line: string) => void lines.push(line) } });
  const before = Date.now();
  const calls = await dateMethodsCalledBy(() => logger.info({ camera: 'a' }, 'hello'));
  const line = JSON.parse(lines[0]) as { time: string; msg: string };
  assert.is(line.msg, 'hello');
  assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Date.parse(line.time) >= before - 1 && Date.parse(line.time) <= Date.now(), line.time);
  assert.equal(calls, [], `Date methods called while logging: ${calls.join(', ')}`);
});

date.run();
