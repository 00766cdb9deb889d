// Recomputes the hash chain in bounded batches and reports every row that does not hold, in one pass.
import type pg from 'pg';
import { chainHash, GENESIS_HASH, type AuditRecord } from './chain';
import { readChainHead, scanAuditEvents } from './reader';

export const CHAIN_BREAKS = ['seq_gap', 'prev_hash_mismatch', 'hash_mismatch', 'missing_rows', 'head_mismatch'] as const;
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

export interface BrokenRow {
  seq: string;
  /** null for missing rows (nothing is there to name). */
  id: string | null;
  reason: ChainBreak;
}

export interface ChainBreaks {
  count: number;
  firstSeq: string | null;
  lastSeq: string | null;
  byReason: Record<ChainBreak, number>;
  /** The first breaks in chain order, at most `maxListed` (memory stays bounded whatever the damage). */
  rows: BrokenRow[];
}

export interface ChainVerification {
  ok: boolean;
  /** Rows examined: every row up to the head (verification does not stop at a break). */
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: string | null;
  /** Why the first broken row does not hold. */
  reason: ChainBreak | null;
  /** Every break found. */
  breaks: ChainBreaks;
  /**
   * `llm.request` rows (disclosures) with no `llm.response` recorded, older than the grace period: the result row
   * was lost (the process died between the answer and its next commit). The chain holds; the outcome is unknown.
   */
  unansweredRequests: { count: number; firstSeq: string | null };
  /** The head snapshot verified against; rows appended after it are left for the next run. */
  head: { seq: string; hash: string };
}

function breakOf(row: AuditRecord, expectedSeq: bigint, prevHash: string): ChainBreak | null {
  if (BigInt(row.seq) !== expectedSeq) return 'seq_gap';
  if (row.prevHash !== prevHash) return 'prev_hash_mismatch';
  const { hash, ...unhashed } = row;
  if (chainHash(unhashed) !== hash) return 'hash_mismatch';
  return null;
}

export interface VerifyOptions {
  batchSize?: number;
  /** Breaks listed by row (all are counted). Default 100. */
  maxListed?: number;
  /** A request younger than this may still be waiting for its answer: not counted as unanswered. Default 10 min. */
  unansweredAfterMs?: number;
}

/**
 * After a break the check carries on from the row as stored: its seq is the one expected next and its hash the link
 * the next row must carry. So one altered or deleted row is one break, and every other break is still found.
 */
export async function verifyChain(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainVerification> {
  const maxListed = Math.max(1, options.maxListed ?? 100);
  const unansweredBefore = Date.now() - (options.unansweredAfterMs ?? 600_000);
  // Head first: every row up to its seq has committed, and later appends do not race the check.
  const head = await readChainHead(pool);
  const breaks: ChainBreaks = {
    count: 0,
    firstSeq: null,
    lastSeq: null,
    byReason: Object.fromEntries(CHAIN_BREAKS.map((r) => [r, 0])) as Record<ChainBreak, number>,
    rows: [],
  };
  const record = (reason: ChainBreak, seq: string, id: string | null) => {
    breaks.count += 1;
    breaks.byReason[reason] += 1;
    breaks.firstSeq ??= seq;
    breaks.lastSeq = seq;
    if (breaks.rows.length < maxListed) breaks.rows.push({ seq, id, reason });
  };
  // Requests waiting for their result row: a response arrives a few rows later, so the map stays small.
  const awaiting = new Map<string, { seq: string; at: number }>();
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let last: AuditRecord | null = null;

  for await (const batch of scanAuditEvents(pool, {}, { untilSeq: head.seq, batchSize: options.batchSize })) {
    for (const row of batch) {
      checked += 1;
      const reason = breakOf(row, expectedSeq, prevHash);
      if (reason) record(reason, row.seq, row.id);
      prevHash = row.hash;
      expectedSeq = BigInt(row.seq) + 1n;
      last = row;
      if (row.action === 'llm.request') awaiting.set(row.id, { seq: row.seq, at: Date.parse(row.recordedAt) });
      else if (row.action === 'llm.response') {
        const answered = (row.details as { requestEventId?: unknown } | null)?.requestEventId;
        if (typeof answered === 'string') awaiting.delete(answered);
      }
    }
  }
  if (BigInt(head.seq) > (last ? BigInt(last.seq) : 0n)) record('missing_rows', ((last ? BigInt(last.seq) : 0n) + 1n).toString(), null);
  else if (head.hash !== (last?.hash ?? GENESIS_HASH)) record('head_mismatch', head.seq, last?.id ?? null);

  const unanswered = [...awaiting.values()].filter((r) => r.at < unansweredBefore);
  const first = breaks.rows[0] ?? null;
  return {
    ok: breaks.count === 0,
    checked,
    firstBrokenId: first?.id ?? null,
    firstBrokenSeq: first?.seq ?? null,
    reason: first?.reason ?? null,
    breaks,
    unansweredRequests: { count: unanswered.length, firstSeq: unanswered[0]?.seq ?? null },
    head,
  };
}
