// Where a camera's frames come from, written as one string:
// dir:<folder>, http:, proxy:<model URL>, stdin:frames or stdin:jsonl.
import { resolve } from 'node:path';
import { ValueProblem } from './config-error.js';
import { maskUrlCredentials } from './mask-secrets.js';
import type { ValueType } from './values.js';

export type SourceSpec =
  /** Image files appearing in a folder. */
  | { kind: 'dir'; path: string }
  /** Frames POSTed to the agent's own HTTP server (the listen address). */
  | { kind: 'http' }
  /** A sidecar proxy in front of the model: requests pass to `upstream`, frames and answers are watched. */
  | { kind: 'proxy'; upstream: string }
  /** Length-prefixed frames, or JSON lines, on standard input. */
  | { kind: 'stdin'; format: 'frames' | 'jsonl' };

const ACCEPTS = "dir:<folder>, http:, proxy:<http(s) URL of the model>, stdin:frames or stdin:jsonl";

function upstreamUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValueProblem(`proxy: needs the model's http:// or https:// URL, got '${maskUrlCredentials(text)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValueProblem(`proxy: needs an http:// or https:// URL, got scheme ${url.protocol}`);
  return text;
}

export const sourceSpec: ValueType<SourceSpec> = {
  accepts: ACCEPTS,
  parse(raw, context) {
    if (typeof raw !== 'string') throw new ValueProblem(`must be a source spec (${ACCEPTS}), got ${raw === null ? 'null' : typeof raw}`);
    const colon = raw.indexOf(':');
    const kind = colon < 0 ? raw : raw.slice(0, colon);
    const rest = colon < 0 ? '' : raw.slice(colon + 1);
    switch (kind) {
      case 'dir':
        if (rest.trim() === '' || rest.includes('\0')) throw new ValueProblem("dir: needs a folder, as in 'dir:/frames/cam1'");
        return { kind, path: resolve(context.baseDir, rest) };
      case 'http':
        if (colon < 0 || rest !== '') throw new ValueProblem(`http source is written 'http:' (frames POSTed to the agent), got '${raw}'`);
        return { kind };
      case 'proxy':
        return { kind, upstream: upstreamUrl(rest) };
      case 'stdin':
        if (rest !== 'frames' && rest !== 'jsonl') throw new ValueProblem(`stdin source must be 'stdin:frames' or 'stdin:jsonl', got '${raw}'`);
        return { kind, format: rest };
      default:
        throw new ValueProblem(`must be a source spec (${ACCEPTS}), got '${maskUrlCredentials(raw)}'`);
    }
  },
  show(spec) {
    switch (spec.kind) {
      case 'dir': return `dir:${spec.path}`;
      case 'http': return 'http:';
      case 'proxy': return `proxy:${spec.upstream}`;
      case 'stdin': return `stdin:${spec.format}`;
    }
  },
};
