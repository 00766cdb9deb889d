// Reads a response body up to a byte limit, enforced while the bytes arrive: a bigger body is destroyed, never kept.
import type { Dispatcher } from 'undici';

type Body = Dispatcher.ResponseData['body'];

/** Destroys a body we will not read: undici then emits an abort error nobody needs to hear. */
export function discard(body: Body): void {
  body.on('error', ignore);
  body.destroy();
}

function ignore(): void {}

/**
 * The body as text, or null when it is (or announces that it will be) larger than `limit` bytes: the stream is
 * destroyed at once, which closes the connection, so memory stays at most `limit` whatever the provider sends.
 */
export async function readBounded(body: Body, headers: Dispatcher.ResponseData['headers'], limit: number): Promise<string | null> {
  const declared = headers['content-length'];
  const length = typeof declared === 'string' ? Number(declared) : Number.NaN;
  if (length > limit) {
    discard(body);
    return null;
  }
  // undici stops at Content-Length, so a declared length within the limit bounds the read: the fast path.
  if (Number.isFinite(length)) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      discard(body);
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Up to `limit` bytes of an error body (enough for its type and message), then the rest is dropped unread. */
export async function readPrefix(body: Body, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    if (size + buf.length >= limit) {
      chunks.push(buf.subarray(0, limit - size));
      size = limit;
      discard(body);
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
