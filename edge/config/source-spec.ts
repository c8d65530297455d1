// Where a camera's frames come from, written as one string:
// dir:<folder>[?after=keep|delete|move:<folder>], http:, proxy:<model URL>,
// stdin:frames or stdin:jsonl. The syntax is the sources' own
// (edge/sources/source-spec.ts, docs/sources.md); the configuration resolves
// relative folders against the config file's folder (or the working directory).
import { resolve } from 'node:path';
import { parseSourceSpec, SourceSpecError, type SourceSpec } from '../sources/source-spec.js';
import { ValueProblem } from './config-error.js';
import { maskUrlCredentials } from './mask-secrets.js';
import type { ValueType } from './values.js';

export type { SourceSpec };

const ACCEPTS = 'dir:<folder>[?after=keep|delete|move:<folder>], http:, proxy:<http(s) URL of the model>, stdin:frames or stdin:jsonl';

// The parser needs a default camera; the agent replaces it with the configured camera id.
const PARSER_DEFAULTS = { camera: 'cam0' };

export const sourceSpec: ValueType<SourceSpec> = {
  accepts: ACCEPTS,
  parse(raw, context) {
    if (typeof raw !== 'string') throw new ValueProblem(`must be a source spec (${ACCEPTS}), got ${raw === null ? 'null' : typeof raw}`);
    let spec: SourceSpec;
    try {
      spec = parseSourceSpec(raw, PARSER_DEFAULTS);
    } catch (error) {
      if (!(error instanceof SourceSpecError)) throw error;
      const reason = error.message.replace(/^source spec ".*?": /, '');
      throw new ValueProblem(`${maskUrlCredentials(reason)}, in '${maskUrlCredentials(raw)}'`);
    }
    if (spec.kind !== 'dir') return spec;
    // The agent feeds a source's frames to the camera it is configured for;
    // a camera= of the spec's own would be silently overridden.
    if (/^camera=|&camera=/.test(raw.slice(raw.indexOf('?') + 1 || raw.length))) {
      throw new ValueProblem(`camera= is not used here: a dir: source feeds the camera it is configured for (--camera, or the id of its entry in cameras), in '${maskUrlCredentials(raw)}'`);
    }
    const after = spec.after.mode === 'move' ? { mode: 'move' as const, to: resolve(context.baseDir, spec.after.to) } : spec.after;
    return { ...spec, path: resolve(context.baseDir, spec.path), after };
  },
  show(spec) {
    switch (spec.kind) {
      case 'dir': return `dir:${spec.path}${spec.after.mode === 'keep' ? '' : `?after=${spec.after.mode === 'move' ? `move:${spec.after.to}` : spec.after.mode}`}`;
      case 'http': return 'http:';
      case 'proxy': return `proxy:${new URL(spec.tapPath, spec.upstream).href}`;
      case 'stdin': return `stdin:${spec.framing}`;
    }
  },
};
