// The deterministic summary: a few sentences written from the facts by rules, used whenever no model answer is usable.
import type { Facts } from './facts';
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

function latestSentence(latest: ScoredSet, overdue: boolean): Sentence {
  // When overdue, the overdue sentence says how long ago; saying it twice adds nothing.
  const when = overdue ? '' : `, ${latest.hoursAgo} h ago`;
  const response = `${latest.response.action}; minimum monitoring ${latest.response.minimumMonitoring}`;
  const text = latest.partial
    ? `The latest observation set${when} is incomplete (${latest.missing.map((p) => parameterLabels[p]).join(', ')} not recorded): partial NEWS2 of ${latest.total}, so at least ${latest.band} risk; ${response}.`
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
            text: `NEWS2 trend ${trend.direction}: mean ${trend.recentMean} over the latest ${trend.setsCompared} complete sets against ${trend.previousMean} over the ${trend.setsCompared} before.`,
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
  return [
    latestSentence(latest, vitals.overdue),
    ...driversSentence(vitals.drivers.latest, 'latest'),
    ...overdue,
    ...trendSentences(facts),
  ];
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
