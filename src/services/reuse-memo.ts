// Re-grounding a stored summary is most of a cached read's own work (a ward round re-grounds every bed). Its result is
// a function of the stored sentences and the facts alone, and the facts are pinned down by the fingerprint (all but
// the clock-driven numbers) with the clock facts (those numbers). So the result is kept for that triple, and made
// again as soon as any part changes: new data, another stored answer, or "hours ago" moving on by a 0.1 h step.
import { createHash } from 'node:crypto';
import { regroundStored, reuseSummary, type GroundedAnswer, type PatientSummary } from '../clinical';
import type { KeyedWeek } from './summary-core';
import type { StoredSummary } from './summary-store';

/** Bounded (least recently used out); the sentences stay in this process's memory only, never in logs or metrics. */
export class ReuseMemo {
  private readonly entries = new Map<string, GroundedAnswer | null>();

  constructor(private readonly maxEntries = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  /** reuseSummary(), its re-grounding done once per fingerprint, clock facts and stored sentences. */
  reuse(keyed: KeyedWeek, stored: StoredSummary): PatientSummary | null {
    const key = createHash('sha256')
      .update(`${keyed.fingerprint}\n${keyed.clockFacts}\n`)
      .update(JSON.stringify(stored.sentences))
      .digest('base64url');
    let grounded = this.entries.get(key);
    if (grounded === undefined) grounded = regroundStored(stored.sentences, keyed.prepared.facts);
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, grounded);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return reuseSummary(keyed.prepared, stored, grounded);
  }
}
