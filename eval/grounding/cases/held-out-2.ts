// Second held-out set: written after the first held-out run had been used to fix rules, so that one set stays unseen; run once, at the end.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut2: EvalCase[] = [
  // --- true ---
  t('h2-high-handover', 'high', 'careful', [
    s('Key concern: NEWS2 8 at the 2-hour set, which is in the high-risk band, and it has been climbing over the last three days.'),
    s('Now on supplemental oxygen with saturations of 94%, respiratory rate 24 and a temperature of 38.4 °C.'),
    s('The last two doses of Apixaban were not given (missed).'),
  ]),
  t('h2-high-list', 'high', 'shorthand', [
    s('1) NEWS2 8 — high; escalate for emergency assessment, continuous obs.'),
    s('2) Apixaban: missed ×2 (most recent doses).'),
  ]),
  t('h2-normal-plain', 'normal', 'careful', [
    s('A quiet week: NEWS2 has stayed at 0 with normal observations, last checked 3 hours ago.'),
    s('All antibiotic and diuretic doses were given.'),
  ]),
  t('h2-medium-plain', 'medium', 'careful', [
    s('NEWS2 is 6, medium risk, mainly because oxygen saturations are 88% on air (3 points).'),
    s('This has been the picture for the past day and a half, with the score between 5 and 6.'),
    s('The medical team needs to be told now, with observations at least every hour.'),
  ]),
  t('h2-red-plain', 'red', 'careful', [
    s('Systolic blood pressure is low at 88 mmHg, a single red score, so although NEWS2 is only 3 the medical team must be informed.'),
    s('The patient refused insulin glargine at the last two doses.'),
  ]),
  t('h2-partial-plain', 'partial', 'careful', [
    s('Nothing has been charted for 9 hours, so a full set of observations is overdue.'),
    s('The last set had no temperature or consciousness level, so its NEWS2 of 2 is only partial.'),
  ]),
  t('h2-rejected-plain', 'rejected', 'careful', [
    s(
      'The SpO2 entered an hour ago (250%) cannot be right and was rejected; the NEWS2 of 0 is therefore partial, and SpO2 needs rechecking.',
    ),
  ]),
  t('h2-improving-plain', 'improving', 'careful', [
    s('Much improved: NEWS2 down to 1 from a high of 9 sixty hours ago.'),
    s('Saturations 89% on room air, which scores 0 on scale 2.'),
  ]),
  t('h2-insulin-plain', 'insulin', 'careful', [
    s('Observations are low risk (NEWS2 2, 2 hours ago).'),
    s('However, insulin aspart has been refused three times in a row and one levetiracetam dose was missed.'),
  ]),
  t('h2-insulin-refs', 'insulin', 'references', [
    s('{news2.latest.total}, {news2.latest.band} risk.'),
    s('Insulin aspart refused {adherence.meds.0.refused} times; levetiracetam missed {adherence.meds.1.missed}.'),
  ]),
  t('h2-medium-refs', 'medium', 'references', [
    s('{news2.latest.total} ({news2.latest.band}); {vitals.latest.spo2} on air scores 3.'),
    s('Inform the medical team immediately.'),
  ]),
  t('h2-partial-terse', 'partial', 'shorthand', [s('Obs 9 h old (overdue). NEWS2 2 partial — no temp/AVPU.')]),
  t('h2-red-terse', 'red', 'shorthand', [s('SBP 88 (red), NEWS2 3 → low-medium; inform medical team.'), s('Insulin glargine 2 refused.')]),
  t('h2-high-refs', 'high', 'references', [
    s('{news2.latest.total}, {news2.latest.band} risk, trend {news2.trend.direction}.'),
    s('Apixaban: last {adherence.meds.0.currentMissedRun} doses missed.'),
  ]),
  t('h2-improving-terse', 'improving', 'shorthand', [s('NEWS2 1 (low), ↓ from 9; off O2, sats 89% (scale 2).')]),

  // --- false ---
  f('h2-swap-red', 'red', 'swapped values', [s('NEWS2 3 (low-medium): systolic 84, heart rate 88.'), s('Insulin glargine 2 refused.')]),
  f('h2-band-partial-high', 'partial', 'band word', [
    s('Partial NEWS2 2 (temperature and consciousness missing) — high risk.'),
    s('Obs overdue.'),
  ]),
  f('h2-trend-medium-falling', 'medium', 'trend reversed', [
    s('NEWS2 6 (medium), improving over the last day.'),
    s('Urgent medical review.'),
  ]),
  f('h2-time-insulin-minutes', 'insulin', 'time unit', [
    s('NEWS2 2 (low) 2 minutes ago.'),
    s('Insulin aspart 3 refused; levetiracetam 1 missed.'),
  ]),
  f('h2-partial-normal', 'partial', 'partial as full', [s('NEWS2 2 — all observations done; obs overdue since 9 h.')]),
  f('h2-days-red', 'red', 'count as days', [s('NEWS2 3 (low-medium; SBP 88 scores 3).'), s('Insulin glargine refused for 2 weeks.')]),
  f('h2-shorthand-high', 'high', 'shorthand', [s('NEWS2 8 (high).'), s('Apixaban missed 3x.')]),
  f('h2-note-high', 'high', 'copied from notes', [s('NEWS2 8 (high); SpO2 dropped to 89% on air earlier.'), s('Apixaban 2 missed.')]),
  f('h2-reassure-red', 'red', 'false reassurance', [
    s('NEWS2 3, observations otherwise satisfactory; no action needed.'),
    s('Insulin glargine 2 refused.'),
  ]),
  f('h2-reassure-insulin', 'insulin', 'false reassurance', [s('NEWS2 2 (low); all medicines taken as prescribed.')]),
  f('h2-count-high', 'high', 'count', [s('NEWS2 8 (high risk).'), s('Apixaban: 4 of 14 doses missed.')]),
  f('h2-invent-improving', 'improving', 'invented value', [s('NEWS2 1 now, peak 9; currently on 2 L/min oxygen.')]),
  f('h2-clock-partial', 'partial', 'clock time', [s('Last observations at 03:00 — overdue; partial NEWS2 2.')]),
  f('h2-omit-high', 'high', 'omission', [s('Febrile at 38.4 °C and tachycardic at 104/min on oxygen.'), s('Apixaban: 2 missed.')]),
  f('h2-omit-red', 'red', 'omission', [s('NEWS2 3, low-medium.')]),
  f('h2-impossible-reading', 'rejected', 'impossible value', [s('Latest SpO2 250% on air; NEWS2 0.')]),
  f('h2-scale', 'improving', 'scale', [s('NEWS2 1 (low), falling; SpO2 89% on scale 1.')]),
  f('h2-max-as-latest', 'improving', 'wrong set', [s('Respiratory rate 26/min on oxygen; NEWS2 1, falling.')]),
];
