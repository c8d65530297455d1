// Parses the --source argument: 'dir:/path[?after=keep|delete|move:/other][&camera=id]',
// 'http:', 'proxy:http://127.0.0.1:3000/predict', 'stdin:frames' | 'stdin:jsonl'.
import { checkCameraId } from './camera-id.js';

/** What the dir source does with a file once the agent has settled it. */
export type AfterPolicy = { mode: 'keep' } | { mode: 'delete' } | { mode: 'move'; to: string };

export type SourceSpec =
  | { kind: 'dir'; path: string; after: AfterPolicy; camera: string }
  | { kind: 'http'; camera: string }
  | { kind: 'proxy'; upstream: URL; tapPath: string; camera: string }
  | { kind: 'stdin'; framing: 'frames' | 'jsonl'; camera: string };

export class SourceSpecError extends Error {
  constructor(readonly spec: string, reason: string) {
    super(`source spec ${JSON.stringify(spec)}: ${reason}`);
    this.name = 'SourceSpecError';
  }
}

const KINDS = ['dir', 'http', 'proxy', 'stdin'];

export function parseSourceSpec(spec: string, defaults: { camera: string }): SourceSpec {
  if (typeof spec !== 'string') throw new TypeError(`source spec must be a string, got ${typeof spec}`);
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (colon < 0 || !KINDS.includes(kind)) {
    throw new SourceSpecError(spec, `unknown source kind ${JSON.stringify(kind)}; expected one of dir:, http:, proxy:, stdin:`);
  }
  const camera = cameraFor(spec, defaults.camera, 'the default camera');
  switch (kind) {
    case 'dir':
      return parseDir(spec, rest, camera);
    case 'http':
      if (rest !== '') throw new SourceSpecError(spec, `http: takes nothing after the colon, got ${JSON.stringify(rest)}`);
      return { kind: 'http', camera };
    case 'proxy':
      return parseProxy(spec, rest, camera);
    default:
      if (rest !== 'frames' && rest !== 'jsonl') {
        throw new SourceSpecError(spec, `stdin framing ${JSON.stringify(rest)} is not known; expected stdin:frames or stdin:jsonl`);
      }
      return { kind: 'stdin', framing: rest, camera };
  }
}

function cameraFor(spec: string, value: unknown, what: string): string {
  try {
    return checkCameraId(value, what);
  } catch (error) {
    throw new SourceSpecError(spec, (error as Error).message);
  }
}

function parseDir(spec: string, rest: string, defaultCamera: string): SourceSpec {
  const question = rest.indexOf('?');
  const path = question < 0 ? rest : rest.slice(0, question);
  if (path === '') throw new SourceSpecError(spec, 'the folder path is missing (dir:/path/to/frames)');
  let after: { mode: 'keep' } | { mode: 'delete' } | { mode: 'move'; to: string } = { mode: 'keep' };
  let camera = defaultCamera;
  const query = question < 0 ? '' : rest.slice(question + 1);
  for (const pair of query === '' ? [] : query.split('&')) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : decodeOption(spec, pair.slice(equals + 1));
    if (key === 'after') {
      if (value === 'keep' || value === 'delete') after = { mode: value };
      else if (value.startsWith('move:') && value.length > 'move:'.length) after = { mode: 'move', to: value.slice('move:'.length) };
      else throw new SourceSpecError(spec, `after=${JSON.stringify(value)} is not known; expected keep, delete or move:/other/folder`);
    } else if (key === 'camera') {
      camera = cameraFor(spec, value, 'camera=');
    } else {
      throw new SourceSpecError(spec, `unknown option ${JSON.stringify(key)}; dir: takes after= and camera=`);
    }
  }
  return { kind: 'dir', path, after, camera };
}

function decodeOption(spec: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new SourceSpecError(spec, `option value ${JSON.stringify(value)} is not valid percent-encoding`);
  }
}

function parseProxy(spec: string, rest: string, camera: string): SourceSpec {
  let upstream: URL;
  try {
    upstream = new URL(rest);
  } catch {
    throw new SourceSpecError(spec, `upstream ${JSON.stringify(rest)} is not a URL (proxy:http://127.0.0.1:3000/predict)`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new SourceSpecError(spec, `upstream protocol ${upstream.protocol} is not supported; use http: or https:`);
  }
  if (upstream.username || upstream.password) throw new SourceSpecError(spec, 'upstream URL must not carry credentials');
  if (upstream.search || upstream.hash) throw new SourceSpecError(spec, 'upstream URL must not have a query or fragment; its path is the endpoint to tap');
  return { kind: 'proxy', upstream: new URL(upstream.origin), tapPath: upstream.pathname, camera };
}
