// Recomputes the hash chain in bounded batches and reports the first row that does not hold.
import type pg from 'pg';
import { chainHash, GENESIS_HASH, type AuditRecord } from './chain';
import { readChainHead, scanAuditEvents } from './reader';

export type ChainBreak =
  /** A row's seq is not the one after its predecessor's: rows were deleted or inserted out of band. */
  | 'seq_gap'
  /** A row does not link to its predecessor's hash: the predecessor was altered (and re-hashed) or removed. */
  | 'prev_hash_mismatch'
  /** A row's content does not hash to its stored hash: the row was altered. */
  | 'hash_mismatch'
  /** The chain head claims rows that are not there: the tail was deleted. */
  | 'missing_rows'
  /** The last row is not the one the chain head recorded. */
  | 'head_mismatch';

export interface ChainVerification {
  ok: boolean;
  /** Rows examined (up to and including the first broken one). */
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: string | null;
  reason: ChainBreak | null;
  /** The head snapshot verified against; rows appended after it are left for the next run. */
  head: { seq: string; hash: string };
}

function firstBreak(row: AuditRecord, expectedSeq: bigint, prevHash: string): ChainBreak | null {
  if (BigInt(row.seq) !== expectedSeq) return 'seq_gap';
  if (row.prevHash !== prevHash) return 'prev_hash_mismatch';
  const { hash, ...unhashed } = row;
  if (chainHash(unhashed) !== hash) return 'hash_mismatch';
  return null;
}

export async function verifyChain(pool: pg.Pool, options: { batchSize?: number } = {}): Promise<ChainVerification> {
  // Head first: every row up to its seq has committed, and later appends do not race the check.
  const head = await readChainHead(pool);
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let last: AuditRecord | null = null;
  const broken = (reason: ChainBreak, row: AuditRecord | null, seq: string): ChainVerification => ({
    ok: false,
    checked,
    firstBrokenId: row?.id ?? null,
    firstBrokenSeq: seq,
    reason,
    head,
  });

  for await (const batch of scanAuditEvents(pool, {}, { untilSeq: head.seq, batchSize: options.batchSize })) {
    for (const row of batch) {
      checked += 1;
      const reason = firstBreak(row, expectedSeq, prevHash);
      if (reason) return broken(reason, row, row.seq);
      prevHash = row.hash;
      expectedSeq += 1n;
      last = row;
    }
  }
  if (BigInt(head.seq) !== expectedSeq - 1n) return broken('missing_rows', null, expectedSeq.toString());
  if (head.hash !== (last?.hash ?? GENESIS_HASH)) return broken('head_mismatch', last, head.seq);
  return { ok: true, checked, firstBrokenId: null, firstBrokenSeq: null, reason: null, head };
}
