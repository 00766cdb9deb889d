// The deterministic summary: a few sentences written from the facts by rules, used whenever no model answer is usable.
import type { Facts } from './facts';
import type { RejectedValue } from './limits';
import type { Sentence } from './model-output';
import type { News2Parameter } from './news2';
import type { Driver, ScoredSet } from './vitals';

const parameterLabels: Record<News2Parameter, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  airOrOxygen: 'air or oxygen',
  systolicBp: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};
const units: Partial<Record<News2Parameter, string>> = {
  respiratoryRate: '/min',
  spo2: '%',
  systolicBp: ' mmHg',
  pulse: '/min',
  temperature: ' °C',
};
const acvpu: Record<string, string> = { C: 'new confusion', V: 'responds to voice', P: 'responds to pain', U: 'unresponsive' };

function describeDriver({ parameter, value, score }: Driver): string {
  if (parameter === 'airOrOxygen') return `on oxygen (+${score})`;
  if (parameter === 'consciousness') return `${acvpu[value] ?? value} (+${score})`;
  return `${parameterLabels[parameter]} ${value}${units[parameter] ?? ''} (+${score})`;
}

const fieldLabels: Record<RejectedValue['field'], string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  systolicBp: 'systolic BP',
  diastolicBp: 'diastolic BP',
  heartRate: 'pulse',
  temperatureC: 'temperature',
};
const fieldUnits: Record<RejectedValue['field'], string> = {
  respiratoryRate: '/min',
  spo2: '%',
  systolicBp: ' mmHg',
  diastolicBp: ' mmHg',
  heartRate: '/min',
  temperatureC: ' °C',
};

const describeRejected = ({ field, value }: RejectedValue) =>
  `${fieldLabels[field]} ${value === null ? 'not a number' : `${value}${fieldUnits[field]}`}`;

/** Why a partial set is partial: what was not recorded, and what was rejected as impossible. */
function incompleteness(set: ScoredSet): string {
  const parts: string[] = [];
  if (set.missing.length) parts.push(`${set.missing.map((p) => parameterLabels[p]).join(', ')} not recorded`);
  // The rejection first, the values after it in one clause: each value reads as rejected, never as a reading.
  if (set.rejected.length) parts.push(`rejected as impossible, not scored: ${set.rejected.map(describeRejected).join(' and ')}`);
  return parts.join('; ');
}

function latestSentence(latest: ScoredSet, overdue: boolean): Sentence {
  // When overdue, the overdue sentence says how long ago; saying it twice adds nothing.
  const when = overdue ? '' : `, ${latest.hoursAgo} h ago`;
  const response = `${latest.response.action}; minimum monitoring ${latest.response.minimumMonitoring}`;
  const text = latest.partial
    ? `The latest observation set${when && `${when},`} is incomplete (${incompleteness(latest)}): partial NEWS2 of ${latest.total}, so at least ${latest.band} risk; ${response}.`
    : `Latest NEWS2 is ${latest.total} (${latest.band} risk)${when}: ${response}.`;
  return { text, facts: ['news2.latest'] };
}

function driversSentence(drivers: Driver[], which: 'latest' | 'max'): Sentence[] {
  if (drivers.length === 0) return [];
  const set = which === 'latest' ? 'the latest set' : 'the highest-scoring set';
  return [{ text: `Scored at ${set}: ${drivers.map(describeDriver).join(', ')}.`, facts: [`vitals.drivers.${which}`] }];
}

function trendSentences({ news2, vitals }: Facts): Sentence[] {
  const { trend, max, latest } = news2;
  const sentences: Sentence[] =
    trend.direction === 'unknown'
      ? [{ text: 'Too few complete observation sets to judge the NEWS2 trend.', facts: [] }]
      : [
          {
            text: `NEWS2 trend ${trend.direction}: mean ${trend.recentMean} over the latest ${trend.setsCompared} complete sets against mean ${trend.previousMean} over the ${trend.setsCompared} complete sets before.`,
            facts: ['news2.trend'],
          },
        ];
  if (max && latest && max.observationId !== latest.observationId) {
    sentences.push(
      {
        text: `Highest in the window: NEWS2 ${max.partial ? '(partial) ' : ''}${max.total} (${max.band} risk), ${max.hoursAgo} h ago.`,
        facts: ['news2.max'],
      },
      ...driversSentence(vitals.drivers.max, 'max'),
    );
  }
  return sentences;
}

function observationSentences(facts: Facts): Sentence[] {
  const { latest } = facts.news2;
  const { vitals } = facts;
  if (!latest) return [{ text: 'No observations were recorded in the window: observations are overdue.', facts: [] }];
  const overdue: Sentence[] = vitals.overdue
    ? [
        {
          text: `Observations are overdue: the last set was ${vitals.hoursSinceLastObservation} h ago (overdue after ${vitals.overdueAfterHours} h).`,
          facts: ['vitals.hoursSinceLastObservation', 'vitals.overdueAfterHours'],
        },
      ]
    : [];
  // A rejected value that scores nothing (a diastolic BP) leaves the NEWS2 complete: it is said on its own.
  const rejectedAside: Sentence[] =
    latest.rejected.length && !latest.partial
      ? [
          {
            text: `Rejected as impossible at the latest set: ${latest.rejected.map(describeRejected).join(' and ')}.`,
            facts: ['news2.latest.rejected'],
          },
        ]
      : [];
  return [
    latestSentence(latest, vitals.overdue),
    ...rejectedAside,
    ...driversSentence(vitals.drivers.latest, 'latest'),
    ...overdue,
    ...trendSentences(facts),
    ...earlierRejections(facts),
  ];
}

/** Impossible values charted before the latest set: data errors the ward should know of, a few at most. */
function earlierRejections({ news2 }: Facts): Sentence[] {
  const earlier = news2.scores.slice(0, -1).flatMap((set) => set.rejected.map((value) => ({ value, hoursAgo: set.hoursAgo })));
  if (earlier.length === 0) return [];
  const listed = earlier.slice(-3).map(({ value, hoursAgo }) => `${describeRejected(value)} ${hoursAgo} h ago`);
  const more = earlier.length > 3 ? ', and others' : '';
  return [{ text: `Rejected as impossible earlier in the window: ${listed.join(' and ')}${more}.`, facts: ['news2.scores'] }];
}

function adherenceSentences({ adherence }: Facts): Sentence[] {
  const held = adherence.held ? `, ${adherence.held} held by a clinician` : '';
  if (adherence.overallPct === null) {
    return [{ text: `No medication doses were due in the window${held}.`, facts: ['adherence.held'] }];
  }
  const sentences: Sentence[] = [
    {
      text: `Medication adherence ${adherence.overallPct}%: ${adherence.given} of ${adherence.due} due doses given, ${adherence.missed} missed, ${adherence.refused} refused${held}.`,
      facts: ['adherence.overallPct', 'adherence.given', 'adherence.due', 'adherence.missed', 'adherence.refused', 'adherence.held'],
    },
  ];
  const critical = adherence.meds
    .map((med, i) => ({ med, path: `adherence.meds.${i}` }))
    .filter(({ med }) => med.critical && med.missed + med.refused > 0);
  if (critical.length > 0) {
    const described = critical.map(({ med }) => {
      const run = med.currentMissedRun > 0 ? `, the last ${med.currentMissedRun} in a row` : '';
      return `${med.drug} (${med.drugClass}) ${med.missed} missed, ${med.refused} refused${run}`;
    });
    sentences.push({ text: `Critical medicines not taken: ${described.join('; ')}.`, facts: critical.map(({ path }) => path) });
  }
  return sentences;
}

function notesSentences({ notes }: Facts): Sentence[] {
  const flags = [...new Set(notes.flatMap((note) => (note.flag ? [note.flag] : [])))];
  return flags.length ? [{ text: `Care notes flagged for review: ${flags.join(', ')}.`, facts: ['notes'] }] : [];
}

export function fallbackSentences(facts: Facts): Sentence[] {
  return [...observationSentences(facts), ...adherenceSentences(facts), ...notesSentences(facts)];
}
