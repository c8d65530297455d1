// The HTTP Date header written without Date methods: the same text as
// toUTCString() for any time, and the listen server's answers carry it
// without node:http formatting its own (which would load ICU's time-zone
// data into the agent; docs/memory.md).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { httpDate, httpDateNow } from '../edge/http/http-date.js';
import { ListenServer } from '../edge/http/listen-server.js';
import { sendJson } from '../edge/http/http-error.js';
import { send } from './helpers/http-client.js';
import { SeededRandom } from './helpers/ar1-stream.js';

const date = suite('http date');

date('matches toUTCString at calendar edges', () => {
  const edges = [
    0, -1, 999, 1000, 86_399_999, 86_400_000,
    Date.UTC(2000, 1, 28, 23, 59, 59), Date.UTC(2000, 1, 29, 12), Date.UTC(2000, 2, 1), // a leap year of 400
    Date.UTC(1900, 1, 28, 23, 59, 59), Date.UTC(1900, 2, 1), // not a leap year (100)
    Date.UTC(2100, 1, 28), Date.UTC(2100, 2, 1), Date.UTC(2024, 1, 29), Date.UTC(2023, 11, 31, 23, 59, 59, 999),
    Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(1969, 11, 31, 23, 59, 59, 500),
  ];
  for (const ms of edges) assert.is(httpDate(ms), new Date(ms).toUTCString(), `at ${ms}`);
});

date('matches toUTCString at 200,000 seeded times from year 1000 to 9999', () => {
  const random = new SeededRandom(20261202);
  const from = Date.UTC(1000, 0, 1), to = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  for (let i = 0; i < 200_000; i++) {
    const ms = from + Math.floor(random.uniform() * (to - from));
    assert.is(httpDate(ms), new Date(ms).toUTCString(), `at ${ms}`);
  }
});

date('refuses a time that is not finite', () => {
  assert.throws(() => httpDate(Number.NaN), /finite time, got NaN/);
  assert.throws(() => httpDate(Number.POSITIVE_INFINITY), /finite time/);
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
  // Count every Date.prototype method the server side calls (node:http's own header uses
  // getMilliseconds and toUTCString); the test's own client and asserts run outside the window.
  const calls: string[] = [];
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  const prototype = Date.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.getOwnPropertyNames(Date.prototype)) {
    const original = prototype[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    originals.set(name, original);
    prototype[name] = function (this: Date, ...args: unknown[]) {
      calls.push(name);
      return original.apply(this, args);
    };
  }
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(`http://127.0.0.1:${port}/healthz`);
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
    await server.close();
  }
  assert.is(answer.status, 200);
  const header = String(answer.headers.date);
  assert.match(header, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
  assert.ok(Math.abs(Date.parse(header) - Date.now()) < 5000, header);
  assert.equal(calls, [], `Date methods called while serving: ${calls.join(', ')}`);
});

date.run();
