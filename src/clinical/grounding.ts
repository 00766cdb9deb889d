// Checks a summary claim by claim against the facts, and that it says what matters; citations are hints, not proof.
import { z } from 'zod';
import { check, scoredKey, type AnswerContext } from './claims/check';
import { omissions } from './claims/coverage';
import { medicineTrie, readSentence } from './claims/read';
import { renderReferences } from './claims/render';
import { qualitativeRules } from './claims/lexicon';
import type { Claim, ScoredParam, VitalParam } from './claims/types';
import type { Facts } from './facts';
import type { Sentence } from './model-output';

export const FindingSchema = z.object({
  /** The claim as written ("SpO2 94%", "stable", "x3"). */
  claim: z.string(),
  /** Why no fact supports it, in the facts' own terms ("the latest SpO2 is 88%"). */
  reason: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const GroundingCheckSchema = z.object({
  ok: z.boolean(),
  /** The claims no fact supports, as written ("NEWS2 of 0", "14:00", "37.5"). */
  unsupported: z.array(z.string()),
  /** Each unsupported claim with why. */
  findings: z.array(FindingSchema).optional(),
  /** What matters that the summary does not say (a high NEWS2, overdue observations, a critical medicine missed...). */
  omitted: z.array(z.string()).optional(),
});
export type GroundingCheck = z.infer<typeof GroundingCheckSchema>;

/** Cited medicine paths ("adherence.meds.1", "adherence.meds[1].missed"): the referent of a count whose sentence names none. */
function citedMeds(paths: string[], count: number): number[] {
  const cited = new Set<number>();
  for (const path of paths) {
    const match = /^(?:facts\.)?adherence\.meds(?:\.|\[)(\d+)/.exec(path.trim());
    if (match && Number(match[1]) < count) cited.add(Number(match[1]));
  }
  return [...cited];
}

/** NEWS2 parameters an answer gives a value, sub-score or state for (what "otherwise normal" excepts). */
function namedParams(claims: Claim[]): Set<ScoredParam> {
  const named = new Set<ScoredParam>();
  for (const c of claims) {
    if (c.kind === 'value') {
      const scored = scoredKey[c.param];
      if (scored) named.add(scored);
    } else if (c.kind === 'pair') named.add('systolicBp');
    else if (c.kind === 'subscore') named.add(c.param);
    else if (c.kind === 'oxygen') named.add('airOrOxygen');
    else if (c.kind === 'consciousness') named.add('consciousness');
    else if (c.kind === 'qualitative') {
      const scored = scoredKey[qualitativeRules[c.word].param as VitalParam];
      if (scored) named.add(scored);
    }
  }
  return named;
}

export interface GroundedAnswer {
  /** The sentences with their fact references written out: what the clinician reads. */
  sentences: Sentence[];
  check: GroundingCheck;
}

/**
 * Renders each sentence's fact references, reads every sentence into claims, checks each claim against the
 * facts (whatever the sentence cites: a citation only helps find the medicine a count is about), then checks
 * that the answer as a whole says what matters. The answer is grounded when no claim is unsupported and
 * nothing that matters is left out.
 */
export function groundAnswer(sentences: Sentence[], facts: Facts): GroundedAnswer {
  const context = {
    medTrie: medicineTrie(facts.adherence.meds),
    criticalMeds: facts.adherence.meds.flatMap((med, i) => (med.critical ? [i] : [])),
  };
  const findings: Finding[] = [];
  const rendered = sentences.map((sentence) => {
    const { text, unknown } = renderReferences(sentence.text, facts);
    for (const ref of unknown) findings.push({ claim: ref, reason: 'names no fact that can be written out' });
    return { ...sentence, text };
  });
  const claims = rendered.flatMap((sentence) =>
    readSentence(sentence.text, { ...context, hintedMeds: citedMeds(sentence.facts, facts.adherence.meds.length) }),
  );
  const answer: AnswerContext = { named: namedParams(claims) };
  const supported: Claim[] = [];
  for (const claim of claims) {
    const verdict = check(claim, facts, answer);
    if (verdict.ok) supported.push(claim);
    else findings.push({ claim: claim.text, reason: verdict.reason });
  }
  const omitted = omissions(facts, supported);
  const unsupported = [...new Set(findings.map((f) => f.claim))];
  return {
    sentences: rendered,
    check: { ok: unsupported.length === 0 && omitted.length === 0, unsupported, findings, omitted },
  };
}

/** The check alone, for sentences already rendered (stored summaries, the fallback). */
export function groundSentences(sentences: Sentence[], facts: Facts): GroundingCheck {
  return groundAnswer(sentences, facts).check;
}

/** What a repair turn is told about a check: each problem in one line, in the answer's own words and the facts'. */
export function describeProblems(check: GroundingCheck): string[] {
  const findings = check.findings ?? check.unsupported.map((claim) => ({ claim, reason: 'no fact supports it' }));
  return [
    ...findings.map(({ claim, reason }) => `"${claim.slice(0, 80)}": ${reason}`),
    ...(check.omitted ?? []).map((item) => `left out: ${item}`),
  ];
}
