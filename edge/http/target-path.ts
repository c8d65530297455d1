// The path of a request target as WHATWG URL parsing gives it, which is
// what the listen server routes on and the proxy taps by. The relay asks
// this twice per call (is it one of the agent's routes? is it the tapped
// path?), and building a URL cost ~40 µs each time on the relay's path
// (a call's code runs cold after the upstream's few idle milliseconds). A
// plain origin-form target is its own path up to any query, so it is read
// as is; anything that URL parsing could change (percent-escapes, dot
// segments, backslashes, characters it escapes, an absolute target) goes
// through URL, so the answer is the same either way (test/target-path).

const PLAIN_PATH_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/") PLAIN_PATH_CHAR[c.charCodeAt(0)] = 1;

/** The target's path (no query), or undefined when URL parsing refuses it. */
export function targetPath(target: string): string | undefined {
  const end = plainPathEnd(target);
  if (end === target.length) return target;
  if (end > 0) return target.slice(0, end);
  try {
    return new URL(target, 'http://target.invalid').pathname;
  } catch {
    return undefined;
  }
}

/** Where a plain path ends (at '?' or the end), or -1 when URL parsing might read the target otherwise. */
function plainPathEnd(target: string): number {
  // '//x' would be read as a host.
  if (target.charCodeAt(0) !== 0x2f || target.charCodeAt(1) === 0x2f) return -1;
  for (let i = 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3f) return i; // '?': the query starts
    // A segment starting with '.' may be a dot segment ('.', '..').
    if (c === 0x2e && target.charCodeAt(i - 1) === 0x2f) return -1;
    if (c >= 128 || PLAIN_PATH_CHAR[c] === 0) return -1;
  }
  return target.length;
}
