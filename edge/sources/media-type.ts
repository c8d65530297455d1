// The bare media type of a Content-Type header: 'image/jpeg; q=1' → 'image/jpeg'.
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);

/** Parses multipart/form-data with Node's built-in fetch implementation (undici); throws on a malformed body. */
export function parseMultipart(body: Uint8Array, contentType: string): Promise<FormData> {
  // The DOM typings want an ArrayBuffer-backed view; undici takes any Uint8Array.
  return new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
}
