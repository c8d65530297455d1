// A raw HTTP client for tests (node:http, not fetch): it keeps the status
// message, raw headers and exact body bytes, and still sees a reply that the
// server sends before it has read the whole request body.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawReply {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: Uint8Array | string;
}

export function send(url: string, options: RawRequest = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        statusMessage: response.statusMessage ?? '',
        headers: response.headers,
        rawHeaders: response.rawHeaders,
        body: Buffer.concat(chunks),
      }));
      response.on('error', reject);
    });
    // A server may answer and close before the body is sent (413): the reply wins.
    request.on('error', reject);
    request.end(options.body);
  });
}

export function json(reply: RawReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

/** A multipart/form-data body built by hand (independent of the parser under test). */
export function multipart(boundary: string, parts: Array<{ name: string; filename?: string; type?: string; body: Uint8Array | string }>): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    pieces.push(Buffer.from(`${head}\r\n`), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}
