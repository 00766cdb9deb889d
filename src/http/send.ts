// Sending answers: a JSON one whose serialisation is timed (the `build` phase of Server-Timing), a streamed one.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { timedSync } from '../timing';

export function sendJson(res: Response, body: unknown, contentType = 'application/json'): void {
  const text = timedSync('build', () => JSON.stringify(body));
  res.type(contentType).send(text);
}

/**
 * Sends a streamed answer: pipeline() waits for 'drain' when the socket buffer is full (memory is about one chunk
 * whatever the size) and, when the client goes away, ends the chunks' generator (nothing further is produced).
 */
export async function sendStream(res: Response, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks, { highWaterMark: 1 }), res);
  } catch (err) {
    // A client that went away is not an error of ours; anything else goes to the error handler (which ends the socket).
    if ((err as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw err;
  }
}
