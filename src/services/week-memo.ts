// Weeks already loaded and scored, per patient and window length, kept while the database's data version says nothing
// changed: a cached read then costs one index lookup (the version) instead of loading and scoring the week again.
// "Hours ago" is recomputed from now at every read; past the point where the clock alone would change a fact (a row
// leaving the window, an observation turning overdue, a row timed later entering it) the week is loaded again.
import { clockFactsOf, clockStableUntil, factsAtClock, preparedWith, type PreparedWeek } from '../clinical';
import type { LoadedWeek } from '../db/patient-week';

interface Entry {
  version: string;
  loadedAt: number;
  /** Last clock (epoch ms, inclusive) at which only the clock-driven numbers differ from the facts as loaded. */
  stableUntil: number;
  loaded: LoadedWeek;
  prepared: PreparedWeek;
  fingerprint: string;
}

export interface MemoHit {
  loaded: LoadedWeek;
  prepared: PreparedWeek;
  fingerprint: string;
  clockFacts: string;
}

/** Bounded (least recently used out); patient data stays in this process's memory only, never in logs or metrics. */
export class WeekMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  /** The version the memo holds for this patient and window length, if any (what to compare with the database's). */
  version(patientId: string, days: number): string | null {
    return this.entries.get(`${patientId}:${days}`)?.version ?? null;
  }

  /** The held week's fingerprint (the summary_cache row to read beside the version), if any. */
  fingerprint(patientId: string, days: number): string | null {
    return this.entries.get(`${patientId}:${days}`)?.fingerprint ?? null;
  }

  /**
   * The week at `now` if the memo holds it at `version` and the clock alone changes nothing but "hours ago" by then;
   * else null (and the stale entry is dropped).
   */
  at(patientId: string, days: number, version: string, now: Date): MemoHit | null {
    const key = `${patientId}:${days}`;
    const e = this.entries.get(key);
    if (!e) return null;
    const t = now.getTime();
    if (e.version !== version || t < e.loadedAt || t > e.stableUntil) {
      this.entries.delete(key);
      return null;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, e);
    const window = { from: new Date(t - days * 86_400_000), to: now };
    const week = { ...e.prepared.week, window };
    const facts = factsAtClock(e.prepared.facts, now);
    // Its prompt is built only if a summary must be made again (the stored one no longer grounds): from today's facts.
    const prepared = preparedWith(week, now, e.prepared.options, facts);
    return { loaded: { ...e.loaded, week }, prepared, fingerprint: e.fingerprint, clockFacts: clockFactsOf(facts) };
  }

  /** Keeps a freshly loaded and scored week. */
  put(days: number, loaded: LoadedWeek, prepared: PreparedWeek, fingerprint: string): void {
    const now = prepared.now.getTime();
    const clock = clockStableUntil(loaded.week, prepared.facts, prepared.now, days, prepared.options);
    // A row timed after the window's end (a dose scheduled ahead, a device clock ahead) enters once the clock reaches it.
    const stableUntil = loaded.nextRowAt === null ? clock : Math.min(clock, loaded.nextRowAt - 1);
    const key = `${loaded.week.patientId}:${days}`;
    this.entries.delete(key);
    this.entries.set(key, { version: loaded.dataVersion, loadedAt: now, stableUntil, loaded, prepared, fingerprint });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
