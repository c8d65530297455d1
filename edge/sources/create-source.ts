// Builds the source a parsed --source spec names. http: and proxy: need the
// agent's listen server; stdin: reads process.stdin unless given a stream.
// The agent's proxy relays in a thread of its own (proxy-thread.ts).
import type { Readable } from 'node:stream';
import type { FrameSource, SourceErrorHandler } from './frame-source.js';
import type { SourceSpec } from './source-spec.js';
import type { SourceCounters } from './source-counters.js';
import type { ListenServer } from '../http/listen-server.js';
import { DirSource } from './dir-source.js';
import { HttpIngestSource } from './http-source.js';
import { ProxySource } from './proxy-source.js';
import { StdinSource } from './stdin-source.js';

export interface SourceDependencies {
  /** The --listen server; required by http: and proxy:. */
  server?: ListenServer;
  /** Default process.stdin. */
  stdin?: Readable;
  onError?: SourceErrorHandler;
  /** proxy:: tapped frames the relay thread hands over before the agent settles them (ProxySourceOptions.maxTapsAhead). */
  maxTapsAhead?: number;
}

export type CountedSource = FrameSource & { readonly counters: SourceCounters };

export function createSource(spec: SourceSpec, dependencies: SourceDependencies = {}): CountedSource {
  const { server, onError } = dependencies;
  switch (spec.kind) {
    case 'dir':
      return new DirSource({ path: spec.path, after: spec.after, camera: spec.camera, onError });
    case 'http':
      if (!server) throw new RangeError('the http: source needs --listen host:port');
      return new HttpIngestSource(server, { onError });
    case 'proxy':
      if (!server) throw new RangeError(`the proxy: source for ${spec.upstream.origin} needs --listen host:port`);
      return new ProxySource(server, { upstream: spec.upstream, tapPath: spec.tapPath, camera: spec.camera, thread: true, maxTapsAhead: dependencies.maxTapsAhead, onError });
    case 'stdin':
      return new StdinSource({ framing: spec.framing, camera: spec.camera, input: dependencies.stdin, onError });
  }
}
