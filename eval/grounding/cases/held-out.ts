// Held-out set: written with the development set, before the checker, in other voices (SBAR, terse, verbose); run only at the end.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut: EvalCase[] = [
  // --- true ---
  t('h-high-sbar', 'high', 'careful', [
    s('Situation: NEWS2 8 at the most recent set, 2 hours ago — high clinical risk.', 'news2.latest'),
    s('Background: NEWS2 was 0 70 hours ago, 4 at 22 hours and 6 at 10 hours, so the trend is rising.', 'news2.scores', 'news2.trend'),
    s('Assessment: tachycardic (104/min), tachypnoeic (24/min), febrile at 38.4 °C, SpO2 94% on oxygen, systolic 108.', 'vitals.latest'),
    s(
      'Recommendation: emergency assessment by a critical-care-competent team, continuous monitoring; note 2 missed Apixaban doses.',
      'news2.latest.response',
      'adherence.meds.0',
    ),
  ]),
  t('h-high-terse', 'high', 'shorthand', [
    s('NEWS2 8 (high) ↑, obs 2h ago.', 'news2.latest'),
    s('Apixaban 12/14 given, last 2 missed.', 'adherence.meds.0'),
  ]),
  t('h-normal-verbose', 'normal', 'careful', [
    s(
      'The patient has had an uneventful week: every observation set scored NEWS2 0, most recently 3 hours ago, with a heart rate of 72/min and SpO2 of 98% on air.',
      'news2',
      'vitals.latest',
    ),
    s('All 28 scheduled doses were given and the notes raise nothing for review.', 'adherence', 'notes'),
  ]),
  t('h-normal-terse', 'normal', 'shorthand', [s('NEWS2 0, obs WNL, 100% adherence.', 'news2.latest', 'adherence.overallPct')]),
  t('h-medium-sbar', 'medium', 'careful', [
    s('NEWS2 6 (medium risk) at the latest set 4 h ago; SpO2 88% on air is a single-parameter 3.', 'news2.latest'),
    s('NEWS2 trend stable (5.5 mean across the last two sets, same as before).', 'news2.trend'),
    s('Urgent assessment by a clinician with acute-illness competencies; observations at least hourly.', 'news2.latest.response'),
  ]),
  t('h-medium-hop', 'medium', 'citation one hop off', [
    s('SpO2 88% and resp rate 22 at the last set give a medium NEWS2 of 6.', 'news2.latest.subScores'),
    s('Inform the medical team now.', 'vitals'),
  ]),
  t('h-red-verbose', 'red', 'careful', [
    s(
      'Although the total NEWS2 is only 3, the systolic blood pressure of 88 mmHg scores 3 by itself, which places the patient at low-medium risk and requires the medical team to be informed.',
      'news2.latest',
      'vitals.latest',
    ),
    s('Insulin glargine was refused at the last 2 due doses.', 'adherence.meds.0'),
  ]),
  t('h-red-refs', 'red', 'references', [
    s('{news2.latest.total} ({news2.latest.band}), {vitals.latest.systolicBp} scoring 3.'),
    s('Insulin glargine: {adherence.meds.0.refused} refused.'),
  ]),
  t('h-partial-verbose', 'partial', 'careful', [
    s('No observations have been charted for 9 hours, so they are overdue.', 'vitals.hoursSinceLastObservation', 'vitals.overdue'),
    s('The last set lacked temperature and consciousness, so the NEWS2 of 2 is only partial.', 'news2.latest'),
  ]),
  t('h-partial-terse', 'partial', 'shorthand', [
    s('Obs overdue (9 h). Last NEWS2 partial: 2, temp + ACVPU not done.', 'vitals', 'news2.latest'),
    s('Paracetamol missed x2.', 'adherence.meds.0'),
  ]),
  t('h-rejected-terse', 'rejected', 'shorthand', [
    s('SpO2 250% rejected as a data error; partial NEWS2 0, 1 h ago.', 'news2.latest'),
    s('Otherwise RR 18, HR 78, BP 136/82, temp 37.1 °C.', 'vitals.latest'),
  ]),
  t('h-improving-sbar', 'improving', 'careful', [
    s('NEWS2 now 1 (low risk), 3 hours ago, having peaked at 9 (high risk) 60 hours ago; the trend is falling.', 'news2'),
    s('Off oxygen, SpO2 89% on air on scale 2.', 'vitals.latest', 'news2.scale'),
    s('Adherence 100%.', 'adherence.overallPct'),
  ]),
  t('h-improving-hop', 'improving', 'citation one hop off', [
    s('Highest NEWS2 this week was 9, with RR 26 scoring 3.', 'news2.latest'),
    s('Latest NEWS2 1 from heart rate 92.', 'news2.max'),
  ]),
  t('h-insulin-sbar', 'insulin', 'careful', [
    s('NEWS2 2 (low risk), stable, latest 2 hours ago.', 'news2.latest', 'news2.trend'),
    s(
      'The last 3 insulin aspart doses were refused and 1 levetiracetam dose was missed; both are critical medicines.',
      'adherence.meds.0',
      'adherence.meds.1',
    ),
    s('Paracetamol fully given (28 of 28).', 'adherence.meds.2'),
  ]),
  t('h-insulin-terse', 'insulin', 'shorthand', [
    s('NEWS2 2.', 'news2.latest'),
    s('Insulin aspart 3 refused in a row; levetiracetam 1/14 missed.', 'adherence.meds'),
  ]),
  t('h-red-minutes', 'red', 'careful', [
    s('Systolic BP 88 mmHg (a red score) 90 minutes ago: NEWS2 3, low-medium risk.', 'news2.latest'),
    s('Insulin glargine: last 2 doses refused.', 'adherence.meds.0'),
  ]),
  t('h-high-words', 'high', 'careful', [
    s('NEWS2 eight, high risk, up from six ten hours earlier.', 'news2'),
    s('Two consecutive Apixaban doses missed.', 'adherence.meds.0'),
  ]),

  // --- false ---
  f('h-swap-improving', 'improving', 'swapped values', [
    s('NEWS2 down to 1 from a peak of 9; SpO2 92% on air, heart rate 89/min.', 'news2', 'vitals.latest'),
  ]),
  f('h-swap-max', 'improving', 'swapped values', [s('NEWS2 peaked at 1 and is now 9.', 'news2.max', 'news2.latest')]),
  f('h-band-low-high', 'insulin', 'band word', [
    s('NEWS2 2 (high risk).', 'news2.latest'),
    s('Insulin aspart: 3 refused; levetiracetam: 1 missed.', 'adherence.meds'),
  ]),
  f('h-band-red-medium', 'red', 'band word', [
    s('NEWS2 3 (medium risk) due to systolic BP 88.', 'news2.latest'),
    s('Insulin glargine refused twice.', 'adherence.meds.0'),
  ]),
  f('h-trend-improving-stable', 'improving', 'trend reversed', [s('NEWS2 1, unchanged all week.', 'news2.latest', 'news2.trend')]),
  f('h-trend-high-falling', 'high', 'trend reversed', [
    s('NEWS2 8 (high) but settling.', 'news2.latest'),
    s('Apixaban: 2 missed.', 'adherence.meds.0'),
  ]),
  f('h-time-red-days', 'red', 'time unit', [
    s('Systolic BP 88 (red score), NEWS2 3, low-medium, 1.5 days ago.', 'news2.latest'),
    s('Insulin glargine: 2 refused.', 'adherence.meds.0'),
  ]),
  f('h-partial-full', 'partial', 'partial as full', [
    s('NEWS2 2, low risk, full set 9 h ago; obs now overdue.', 'news2.latest', 'vitals.overdue'),
  ]),
  f('h-days', 'insulin', 'count as days', [
    s('NEWS2 2 (low risk).', 'news2.latest'),
    s('Insulin aspart refused for 3 days; levetiracetam missed once.', 'adherence.meds'),
  ]),
  f('h-shorthand', 'partial', 'shorthand', [
    s('Obs overdue 9 h; partial NEWS2 2 (temp and consciousness missing).', 'vitals', 'news2.latest'),
    s('Paracetamol missed x4.', 'adherence.meds.0'),
  ]),
  f('h-note-copy', 'high', 'copied from notes', [
    s('NEWS2 8 (high); found on the floor at 03:10.', 'news2.latest', 'notes'),
    s('Apixaban: 2 missed.', 'adherence.meds.0'),
  ]),
  f('h-note-copy-bp', 'high', 'copied from notes', [
    s('NEWS2 8 (high); pain 7/10 reported.', 'news2.latest', 'notes'),
    s('Apixaban: 2 missed.', 'adherence.meds.0'),
  ]),
  f('h-reassure', 'high', 'false reassurance', [
    s('The patient is stable with normal observations; continue routine monitoring.', 'vitals'),
    s('Apixaban: 2 missed.', 'adherence.meds.0'),
  ]),
  f('h-reassure-partial', 'partial', 'false reassurance', [s('Observations within normal limits; no concerns.', 'vitals.latest')]),
  f('h-count', 'insulin', 'count', [
    s('NEWS2 2 (low).', 'news2.latest'),
    s('Insulin aspart: 4 doses refused; levetiracetam: 1 missed.', 'adherence.meds'),
  ]),
  f('h-count-pct', 'red', 'count', [
    s('NEWS2 3 (low-medium; systolic 88 scores 3).', 'news2.latest'),
    s('Insulin glargine adherence 90%, 2 refused.', 'adherence.meds.0'),
  ]),
  f('h-invented', 'normal', 'invented value', [s('NEWS2 0; blood glucose 6.2 mmol/L; routine monitoring.', 'news2.latest')]),
  f('h-clock', 'insulin', 'clock time', [
    s('NEWS2 2 (low) at 10:00.', 'news2.latest'),
    s('Insulin aspart: 3 refused; levetiracetam: 1 missed.', 'adherence.meds'),
  ]),
  f('h-omit', 'insulin', 'omission', [s('NEWS2 2 (low risk), stable, 2 hours ago.', 'news2.latest', 'news2.trend')]),
  f('h-omit-rejected', 'rejected', 'omission', [s('Partial NEWS2 of 0 one hour ago; all recorded values normal.', 'news2.latest')]),
  f('h-impossible', 'rejected', 'impossible value', [
    s('SpO2 250% (rejected) at the latest set, partial NEWS2 0; temperature 60 °C earlier this week.', 'news2'),
  ]),
];
