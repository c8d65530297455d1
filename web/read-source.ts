// Reading one frame's bytes: a picked file (File) or a URL on the review server.
import type { FrameSource } from './messages.js';

export async function readSourceBuffer(source: FrameSource): Promise<ArrayBuffer> {
  if (source.file) return source.file.arrayBuffer();
  if (!source.url) throw new Error('no file and no URL');
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`cannot read the file (HTTP ${response.status})`);
  return response.arrayBuffer();
}

export async function readSource(source: FrameSource): Promise<Uint8Array> {
  return new Uint8Array(await readSourceBuffer(source));
}
