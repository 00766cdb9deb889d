// What a sentence claims, one kind per row: the reader produces these, the checker judges each against the facts.
import type { NoteFlag } from '../notes';
import type { RiskBand } from '../news2';
import type { Approx, CountKind, Direction, Qualitative, Reassurance, ResponseLevel, SetRef } from './lexicon';

/** A parameter a reading can be of (NEWS2 totals are their own claim kind). */
export type VitalParam = 'respiratoryRate' | 'spo2' | 'systolicBp' | 'diastolicBp' | 'heartRate' | 'temperature';
/** A NEWS2 sub-score's parameter, in the score's own names. */
export type ScoredParam = 'respiratoryRate' | 'spo2' | 'airOrOxygen' | 'systolicBp' | 'pulse' | 'consciousness' | 'temperature';

/** Which set: by qualifier, and — when the sentence says when ("4 at 22 hours") — by time too. */
export interface SetSpec {
  ref: SetRef;
  at?: TimeValue;
}

/** A time as written, in hours, with how it may be compared ("about", "over"...). */
export interface TimeValue {
  hours: number;
  /** Unit size in hours and decimals as written: "9 h" stands for 8.5–9.5 h, "2 days" for 36–60 h. */
  unitHours: number;
  decimals: number;
  approx: Approx | null;
}

/** Whose doses a count is about: the medicines named (indices into adherence.meds), or overall. */
export type MedTarget = { meds: number[] } | 'overall' | 'unknown';

export type ClaimBody =
  | { kind: 'news2'; value: number; decimals: number; approx: Approx | null; set: SetSpec; acknowledgesPartial: boolean }
  | {
      kind: 'value';
      param: VitalParam;
      value: number;
      decimals: number;
      approx: Approx | null;
      set: SetSpec;
      asRejected: boolean;
      /** The words right after it call this reading an error ("88% is likely artefact"). */
      dismissed?: boolean;
      target: boolean;
    }
  | { kind: 'pair'; systolic: number; diastolic: number; set: SetSpec; asRejected: boolean; dismissed?: boolean }
  | { kind: 'subscore'; param: ScoredParam; value: number; set: SetSpec }
  | { kind: 'band'; band: RiskBand; set: SetSpec; atLeast: boolean; negated?: boolean }
  | { kind: 'redScore'; negated: boolean; set: SetSpec }
  | { kind: 'trend'; dir: Direction; negated?: boolean }
  | { kind: 'paramTrend'; param: VitalParam; dir: Direction }
  | { kind: 'comparison'; dir: Direction; from: number; to: number | null; param: VitalParam | 'news2' }
  | { kind: 'reassure'; reassurance: Reassurance; scope: 'set' | 'recorded' | 'notes' | 'except' | VitalParam; set: SetSpec }
  | { kind: 'abnormal'; set: SetSpec }
  | { kind: 'time'; time: TimeValue; relation: 'at' | 'since' | 'after' | 'window'; set: SetSpec; context: 'observations' | 'medicines' }
  | { kind: 'overdue'; value: boolean }
  | { kind: 'partial'; value: boolean; params: VitalParam[]; set: SetSpec }
  | { kind: 'oxygen'; on: boolean; set: SetSpec }
  | { kind: 'consciousness'; level: 'A' | 'C' | 'V' | 'P' | 'U'; set: SetSpec; negated?: boolean }
  | { kind: 'qualitative'; word: Qualitative; set: SetSpec; negated?: boolean }
  | { kind: 'response'; level: ResponseLevel; set: SetSpec; negated: boolean }
  | { kind: 'frequency'; hours: [number, number]; atLeast: boolean; set: SetSpec }
  | {
      kind: 'count';
      target: MedTarget;
      count: CountKind | 'pct';
      value: number;
      decimals: number;
      of: number | null;
      last: boolean;
      approx: Approx | null;
    }
  | { kind: 'noneMissed'; target: MedTarget; count: 'missed' | 'refused' | 'notTaken' }
  | { kind: 'allGiven'; target: MedTarget }
  | { kind: 'notTaken'; target: MedTarget; count: 'missed' | 'refused' | 'notTaken' }
  /** Every set a range covers has a value within it, and both ends occur: in a window (hours), all sets, or the recent stretch. */
  | {
      kind: 'range';
      param: VitalParam | 'news2';
      lo: { value: number; decimals: number };
      hi: { value: number; decimals: number };
      scope: 'all' | 'recent' | { hours: number };
    }
  /** Sets with these values in this order (not necessarily adjacent), the last of them the latest set. */
  | { kind: 'series'; param: VitalParam | 'news2'; values: { value: number; decimals: number }[] }
  /** How many sets were recorded; `within`: "the last N sets", at most as many as were recorded. */
  | { kind: 'setCount'; value: number; within?: boolean }
  | { kind: 'scale'; value: number }
  | { kind: 'flag'; flag: NoteFlag; negated: boolean }
  | { kind: 'noFlags' }
  /** Never a fact: clock times, dates, a measurement shiftnote does not hold, a number nothing binds, a drug not prescribed. */
  | { kind: 'never'; why: string };

export type Claim = ClaimBody & { text: string };
