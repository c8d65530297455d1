// What the sidecar proxy recognises in an inference exchange: the image in
// the request and the predictions in the response. Recognised requests:
//   - a raw image body (image/jpeg, image/png, application/octet-stream);
//   - multipart/form-data: the part named 'image', else the first file part;
//   - application/json (or +json): a top-level string field 'image' holding
//     base64 (standard or URL-safe alphabet), optionally as a data: URL.
// The response is taken as predictions when its media type is JSON; gzip,
// deflate and br content encodings are undone first (bounded in size).
import { createRequire } from 'node:module';
import { mediaType, parseMultipart } from './media-type.js';

// node:zlib loads with the first compressed body: most clients send none, and
// it is ~0.2 MiB the agent would otherwise carry (docs/memory.md).
let zlib: typeof import('node:zlib') | undefined;
const loadZlib = (): typeof import('node:zlib') => (zlib ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib'));

export class TapError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'TapError';
  }
}

const RAW_TYPES = new Set(['image/jpeg', 'image/png', 'application/octet-stream']);
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

export async function imageFromRequest(body: Uint8Array, contentType: string | undefined): Promise<Uint8Array> {
  const type = mediaType(contentType);
  if (RAW_TYPES.has(type)) return body;
  if (type === 'multipart/form-data') return imageFromMultipart(body, contentType ?? '');
  if (isJsonType(type)) return imageFromJson(body);
  throw new TapError('tap-unrecognised-request', `request Content-Type ${JSON.stringify(contentType ?? '')} carries no image the tap recognises`);
}

async function imageFromMultipart(body: Uint8Array, contentType: string): Promise<Uint8Array> {
  let form: FormData;
  try {
    form = await parseMultipart(body, contentType);
  } catch (error) {
    throw new TapError('tap-bad-multipart', `request multipart body could not be parsed (${(error as Error).message})`);
  }
  const named = form.get('image');
  let file: File | undefined = named !== null && typeof named !== 'string' ? named : undefined;
  form.forEach((value) => {
    if (!file && typeof value !== 'string') file = value;
  });
  if (file === undefined) throw new TapError('tap-no-image', 'request multipart body has no file part');
  return new Uint8Array(await file.arrayBuffer());
}

function imageFromJson(body: Uint8Array): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new TapError('tap-bad-json', `request JSON body is not valid JSON (${(error as Error).message})`);
  }
  const field = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).image : undefined;
  if (typeof field !== 'string') throw new TapError('tap-no-image', 'request JSON body has no string field "image"');
  const comma = field.startsWith('data:') ? field.indexOf(',') : -1;
  const text = (comma >= 0 ? field.slice(comma + 1) : field).replace(/\s+/g, '');
  if (text === '' || !BASE64.test(text)) throw new TapError('tap-bad-base64', 'request JSON field "image" is not base64');
  return new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
}

/** The response's JSON, or undefined when it is not JSON (the frame is still tapped, without predictions). */
export function predictionsFromResponse(body: Uint8Array, contentType: string | undefined, contentEncoding: string | undefined, maxBytes: number): unknown {
  if (!isJsonType(mediaType(contentType))) return undefined;
  const bytes = decoded(Buffer.from(body.buffer, body.byteOffset, body.byteLength), (contentEncoding ?? '').trim().toLowerCase(), maxBytes);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new TapError('tap-bad-response-json', `response JSON is not valid JSON (${(error as Error).message})`);
  }
}

function decoded(body: Buffer, encoding: string, maxBytes: number): Buffer {
  try {
    if (encoding === '' || encoding === 'identity') return body;
    if (encoding === 'gzip' || encoding === 'x-gzip') return loadZlib().gunzipSync(body, { maxOutputLength: maxBytes });
    if (encoding === 'deflate') return loadZlib().inflateSync(body, { maxOutputLength: maxBytes });
    if (encoding === 'br') return loadZlib().brotliDecompressSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    throw new TapError('tap-bad-response-encoding', `response body could not be decoded as ${encoding} (${(error as Error).message})`);
  }
  throw new TapError('tap-bad-response-encoding', `response Content-Encoding ${JSON.stringify(encoding)} is not supported by the tap`);
}
