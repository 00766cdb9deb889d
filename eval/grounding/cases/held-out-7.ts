// Seventh held-out set: written 2026-12-01 without reading the checker's rules or the other sets (answers that follow the prompt); run once.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut7: EvalCase[] = [
  // ===== high: latest NEWS2 8 (high), 2 h ago, rising; continuous monitoring; Apixaban (critical) 2 of 14 missed, last 2 in a row =====
  // Rests on news2.latest (8, high, 2 h, emergency-assessment action, continuous), news2.trend rising, Apixaban missed 2 / current run 2.
  t('h7-high-refs', 'high', 'refs', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, and the trend is {news2.trend.direction}.',
      'news2.latest',
      'news2.trend',
    ),
    s(
      'Inform the medical team immediately (at least registrar level) for emergency assessment by a critical-care-competent team; monitoring {news2.latest.response.minimumMonitoring}.',
      'news2.latest.response',
    ),
    s(
      '{adherence.meds.0.drug} has missed {adherence.meds.0.missed} doses, the last {adherence.meds.0.currentMissedRun} in a row.',
      'adherence.meds.0',
    ),
  ]),
  // Rests on latest total 8, band high, trend rising, high response (emergency assessment, continuous), Apixaban missed 2.
  t('h7-high-terse', 'high', 'terse', [
    s('NEWS2 8, high risk, rising.'),
    s('Emergency assessment: medical team now, continuous monitoring.'),
    s('Apixaban: {adherence.meds.0.missed} doses missed.'),
  ]),
  // Rests on latest 8 high rising; vitals.latest RR 24, SpO2 94 on oxygen, temp 38.4; high response; Apixaban 12 of 14 given, 2 missed; Paracetamol refused 1.
  t('h7-high-semicolons', 'high', 'semicolons', [
    s(
      'Latest {news2.latest.total}, {news2.latest.band} risk and {news2.trend.direction}; {vitals.latest.respiratoryRate}, {vitals.latest.spo2} on oxygen, {vitals.latest.temperatureC}.',
    ),
    s('The medical team should be informed immediately for emergency assessment, with continuous monitoring.'),
    s(
      'Of note, {adherence.meds.0.drug} has {adherence.meds.0.missed} missed doses ({adherence.meds.0.given} of {adherence.meds.0.due} given), and {adherence.meds.1.drug} was refused {adherence.meds.1.refused} time.',
    ),
  ]),
  // False: "observe at least hourly" breaks news2.latest.response.minimumMonitoring = continuous (high band).
  f('h7-high-hourly', 'high', 'monitoring-frequency', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, {news2.trend.direction}.'),
    s('Inform the medical team immediately for emergency assessment and observe at least hourly.'),
    s('{adherence.meds.0.drug}: the last {adherence.meds.0.currentMissedRun} doses were missed.'),
  ]),
  // False by omission: Apixaban (critical) missed 2 is never said; only the non-critical Paracetamol refusal is.
  f('h7-high-apixaban-omitted', 'high', 'critical-medicine-omitted', [
    s('NEWS2 {news2.latest.total}, {news2.latest.band} and {news2.trend.direction}, {news2.latest.hoursAgo}.'),
    s('Emergency assessment: inform the medical team immediately; continuous monitoring.'),
    s('{adherence.meds.1.drug} refused {adherence.meds.1.refused} time; overall adherence {adherence.overallPct}.'),
  ]),
  // False: "Apixaban: {adherence.meds.1.refused} dose refused" renders Paracetamol's refused count (1); Apixaban had 0 refused and 2 missed.
  f('h7-high-wrong-med-path', 'high', 'wrong-path', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), rising over the last sets.'),
    s('Medical team to be informed immediately for emergency assessment; continuous monitoring.'),
    s('{adherence.meds.0.drug}: {adherence.meds.1.refused} dose refused.'),
  ]),

  // ===== normal: latest NEWS2 0 (low), 3 h ago, stable; routine monitoring, 12-hourly; 100% adherence =====
  // Rests on news2.latest (0, low, 3 h, routine monitoring, 12-hourly), trend stable, overallPct 100.
  t('h7-normal-refs', 'normal', 'refs', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.',
      'news2.latest',
      'news2.trend',
    ),
    s('Routine monitoring, at least {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
    s('All due doses given ({adherence.overallPct}).', 'adherence.overallPct'),
  ]),
  // Rests on latest 0 low, stable trend, routine 12-hourly response, overallPct 100.
  t('h7-normal-terse', 'normal', 'terse', [s('NEWS2 0, low risk, stable.'), s('Routine 12-hourly observations.'), s('Adherence 100%.')]),
  // False: "SpO2 97% on air" breaks vitals.latest.spo2 = 98.
  f('h7-normal-wrong-spo2', 'normal', 'wrong-number', [
    s('Latest NEWS2 0 (low risk), 3 hours ago, SpO2 97% on air.'),
    s('Routine monitoring, 12-hourly.'),
    s('All doses given ({adherence.overallPct}).'),
  ]),
  // False: "RN to assess ... at least 4–6-hourly" is the low (1–4) response; news2.latest.response is routine monitoring, 12-hourly.
  f('h7-normal-wrong-response', 'normal', 'wrong-response', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.'),
    s('RN to assess and decide frequency, with observations at least 4–6-hourly.'),
    s('Adherence {adherence.overallPct}.'),
  ]),

  // ===== medium: latest NEWS2 6 (medium), 4 h ago, stable; SpO2 88% on air scores 3; urgent assessment, 1-hourly; all doses given =====
  // Rests on latest 6 medium 4 h, subScores.spo2 3 with SpO2 88 on air, trend stable, medium response (urgent assessment, 1-hourly).
  t('h7-medium-refs', 'medium', 'refs', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, with {vitals.latest.spo2} on air scoring 3.',
      'news2.latest',
      'vitals.latest.spo2',
    ),
    s('The trend is {news2.trend.direction}.', 'news2.trend.direction'),
    s(
      'Inform the medical team immediately for urgent assessment by a clinician with acute-illness competencies; monitor at least {news2.latest.response.minimumMonitoring}.',
      'news2.latest.response',
    ),
  ]),
  // Rests on spo2 subscore 3 (88% on air), latest 6 medium, trend stable, 1-hourly minimum, Levetiracetam and Enoxaparin all given.
  t('h7-medium-three-first', 'medium', 'three-first', [
    s('SpO2 88% on air scores 3 on its own.'),
    s('NEWS2 6, medium risk; the trend is stable.'),
    s('Tell the medical team now for urgent assessment, with observations at least hourly.'),
    s('All {adherence.meds.0.drug} and {adherence.meds.1.drug} doses were given.'),
  ]),
  // Rests on latest 6 medium stable; drivers SpO2 88 (3), RR 22 (2), HR 94 (1); medium response; overallPct 100.
  t('h7-medium-semicolons', 'medium', 'semicolons', [
    s(
      '{news2.latest.total}, {news2.latest.band}, {news2.trend.direction}; {vitals.latest.spo2} on air scores 3, {vitals.latest.respiratoryRate} scores 2 and {vitals.latest.heartRate} scores 1.',
    ),
    s('The medical team must be informed immediately for urgent assessment; observations at least 1-hourly.'),
    s('Adherence {adherence.overallPct}.'),
  ]),
  // False: "SpO2 94% on air" breaks vitals.latest.spo2 = 88 (94 is the heart rate).
  f('h7-medium-swapped', 'medium', 'wrong-number', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}: SpO2 94% on air, scoring 3.'),
    s('Inform the medical team immediately for urgent assessment; at least 1-hourly observations.'),
  ]),
  // False by omission: SpO2 88% on air scoring 3 (news2.latest.anySingleThree, subScores.spo2 = 3) is never said.
  f('h7-medium-three-omitted', 'medium', 'single-three-omitted', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, {news2.trend.direction}.'),
    s('Inform the medical team immediately for urgent assessment; observations at least {news2.latest.response.minimumMonitoring}.'),
  ]),

  // ===== red: latest NEWS2 3 (low-medium), 1.5 h ago, stable; systolic 88 scores 3; medical team decide on escalation, 1-hourly; Insulin glargine (critical) refused 2 =====
  // Rests on latest 3 low-medium 1.5 h, subScores.systolicBp 3 (88), low-medium response and 1-hourly, Insulin glargine refused 2, current run 2.
  t('h7-red-refs', 'red', 'refs', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, because {vitals.latest.systolicBp} scores 3 on its own.',
      'news2.latest',
      'vitals.latest.systolicBp',
    ),
    s(
      'Inform the medical team, who decide whether to escalate; monitoring at least {news2.latest.response.minimumMonitoring}.',
      'news2.latest.response',
    ),
    s(
      '{adherence.meds.0.drug} refused {adherence.meds.0.refused} times, the last {adherence.meds.0.currentMissedRun} doses in a row.',
      'adherence.meds.0',
    ),
  ]),
  // Rests on Insulin glargine refused 2 (the last 2), systolic 88 scoring 3, latest 3 low-medium, low-medium response, 1-hourly.
  t('h7-red-medicine-first', 'red', 'medicine-first', [
    s('Insulin glargine: the last 2 doses were refused.'),
    s('Systolic BP 88 mmHg scores 3 on its own, so the NEWS2 of 3 is low-medium risk.'),
    s('The medical team should be told and decide whether to escalate, with observations at least hourly.'),
  ]),
  // Rests on latest 3 low-medium, single 3 from systolic 88, 1-hourly, Insulin glargine 5 of 7 given with 2 refused.
  t('h7-red-terse', 'red', 'terse', [
    s('NEWS2 3, low-medium: a single red score, systolic 88 mmHg.'),
    s('Inform the medical team, who decide on escalation; obs at least 1-hourly.'),
    s('Insulin glargine refused ×2 (5 of 7 given).'),
  ]),
  // False: "and rising" breaks news2.trend.direction = stable.
  f('h7-red-rising', 'red', 'trend-word', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk) and rising, with {vitals.latest.systolicBp} scoring 3.'),
    s('Inform the medical team, who decide whether to escalate; at least 1-hourly observations.'),
    s('{adherence.meds.0.drug} refused {adherence.meds.0.refused} times.'),
  ]),
  // False: "low risk" breaks news2.latest.band = low-medium (the single 3 lifts a total of 3 out of low).
  f('h7-red-low-band', 'red', 'band-word', [
    s('NEWS2 3 (low risk), though systolic BP 88 mmHg scores 3.'),
    s('Medical team to be informed and decide on escalation; monitoring at least 1-hourly.'),
    s('Insulin glargine: last 2 doses refused.'),
  ]),

  // ===== partial: latest set 9 h ago partial (consciousness, temperature not recorded), partial NEWS2 2; overdue (after 6 h); Paracetamol missed 2 (not critical) =====
  // Rests on vitals.overdue true, hoursSinceLastObservation 9, overdueAfterHours 6, latest partial with missing consciousness and temperature, total 2, Paracetamol missed 2.
  t('h7-partial-refs', 'partial', 'refs', [
    s(
      'Observations are overdue: the last set was {news2.latest.hoursAgo}, and they are due every {vitals.overdueAfterHours}.',
      'vitals.overdue',
      'vitals.overdueAfterHours',
      'news2.latest.hoursAgo',
    ),
    s(
      'That set was partial (consciousness and temperature not recorded), so NEWS2 {news2.latest.total} is a partial score.',
      'news2.latest',
    ),
    s('{adherence.meds.0.drug}: {adherence.meds.0.missed} doses missed.', 'adherence.meds.0.missed'),
  ]),
  // Rests on overdue true, last set 9 h ago, overdue after 6 h, partial total 2 with temperature and consciousness missing, Paracetamol missed 2.
  t('h7-partial-terse', 'partial', 'terse', [
    s('Obs overdue: last set 9 h ago, due after 6 h.'),
    s('Partial NEWS2 2: no temperature or consciousness recorded.'),
    s('Paracetamol: 2 doses missed.'),
  ]),
  // Rests on latest partial total 2, 9 h ago, missing temperature and consciousness, overdue true, low response (RN assesses), Paracetamol missed 2.
  t('h7-partial-of-note', 'partial', 'of-note', [
    s(
      'The latest set, {news2.latest.hoursAgo}, gave a partial NEWS2 of {news2.latest.total}, with no temperature or consciousness recorded.',
    ),
    s('Observations are now overdue.'),
    s('RN to assess and decide frequency and escalation.'),
    s('Of note, {adherence.meds.0.drug} missed {adherence.meds.0.missed} doses.'),
  ]),
  // False by omission: vitals.overdue = true (9 h since the last set, overdue after 6 h) is never said.
  f('h7-partial-overdue-omitted', 'partial', 'overdue-omitted', [
    s('Partial NEWS2 2 from the set 9 hours ago: temperature and consciousness not recorded.'),
    s('RN to assess and decide frequency; at least 4–6-hourly.'),
    s('Paracetamol: 2 doses missed.'),
  ]),
  // False by omission: news2.latest.partial = true is not said (NEWS2 given as a whole score; missing consciousness and temperature not named).
  f('h7-partial-not-called-partial', 'partial', 'partial-unsaid', [
    s('Observations overdue: the last set was {news2.latest.hoursAgo}.'),
    s('NEWS2 {news2.latest.total} ({news2.latest.band} risk).'),
    s('{adherence.meds.0.drug}: {adherence.meds.0.missed} missed.'),
  ]),
  // False: "respiratory rate ... not recorded" breaks vitals.latest.respiratoryRate = 20 (news2.latest.missing is consciousness and temperature).
  f('h7-partial-wrong-missing', 'partial', 'missing-field-wrong', [
    s('Observations overdue: last set 9 h ago.'),
    s('That set was partial, with respiratory rate and temperature not recorded, giving a partial NEWS2 of {news2.latest.total}.'),
    s('Paracetamol: {adherence.meds.0.missed} doses missed.'),
  ]),

  // ===== rejected: latest set 1 h ago, SpO2 250% rejected as impossible (out of range), partial NEWS2 0; RN assesses, 4–6-hourly; Amlodipine all given =====
  // Rests on news2.latest.rejected (spo2 250), latest partial total 0, 1 h ago, Amlodipine given 7 of 7.
  t('h7-rejected-refs', 'rejected', 'refs', [
    s(
      'The latest set, {news2.latest.hoursAgo}, had an SpO2 of 250% that was rejected as impossible, so its NEWS2 of {news2.latest.total} is partial.',
      'news2.latest',
    ),
    s('{adherence.meds.0.drug}: all doses given.', 'adherence.meds.0'),
  ]),
  // Rests on partial total 0, 1 h ago, SpO2 250 rejected (not scored), vitals.latest RR 18, HR 78, BP 136/82, temp 37.1, minimum monitoring 4–6-hourly.
  t('h7-rejected-terse', 'rejected', 'terse', [
    s('Partial NEWS2 0, 1 h ago: SpO2 not scored, 250% rejected as impossible.'),
    s('Other values: RR 18/min, HR 78/min, BP 136/82 mmHg, temperature 37.1 °C.'),
    s('RN to assess and decide frequency; at least 4–6-hourly.'),
  ]),
  // Rests on news2.latest.rejected.0 (spo2 250, out of range), partial total 0, vitals.latest RR 18 / HR 78 / systolic 136, minimum monitoring 4–6-hourly.
  t('h7-rejected-of-note', 'rejected', 'of-note', [
    s(
      'Of note, the latest SpO2 ({news2.latest.rejected.0.value}) was rejected as impossible and not scored, so the NEWS2 of {news2.latest.total} is partial.',
    ),
    s('The rest of that set: {vitals.latest.respiratoryRate}, {vitals.latest.heartRate}, {vitals.latest.systolicBp}.'),
    s('Monitoring at least {news2.latest.response.minimumMonitoring}.'),
  ]),
  // False: "SpO2 250%" is written as a reading (it is in news2.latest.rejected as impossible), and the NEWS2 is not called partial.
  f('h7-rejected-as-reading', 'rejected', 'rejected-as-reading', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.'),
    s('SpO2 250%, respiratory rate 18/min, heart rate 78/min.'),
    s('Amlodipine: all doses given.'),
  ]),
  // False: "no escalation needed; routine monitoring" breaks news2.latest.response (RN assesses, decides frequency/escalation; 4–6-hourly).
  f('h7-rejected-routine', 'rejected', 'forbidden-reassurance', [
    s('The SpO2 of 250% was rejected as impossible, so the latest NEWS2 of {news2.latest.total} is partial.'),
    s('No escalation needed; routine monitoring.'),
  ]),

  // ===== improving: latest NEWS2 1 (low), 3 h ago, falling from a peak of 9 (high) 60 h ago; SpO2 scale 2, 89% on air scores 0; pulse 92 scores 1 =====
  // Rests on latest 1 low 3 h, max 9 high 60 h, trend falling, scale 2 with SpO2 89 on air, low response 4–6-hourly.
  t('h7-improving-refs', 'improving', 'refs', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, down from a peak of {news2.max.total} ({news2.max.band} risk) {news2.max.hoursAgo}; the trend is {news2.trend.direction}.',
      'news2.latest',
      'news2.max',
      'news2.trend',
    ),
    s('{vitals.latest.spo2} on air, scored on SpO2 scale 2.', 'vitals.latest.spo2', 'news2.scale'),
    s('RN to assess and decide frequency, at least {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
  ]),
  // Rests on latest 1 low, max 9 high 60 h ago, falling, SpO2 89 on air on scale 2, Apixaban 14 of 14 given.
  t('h7-improving-terse', 'improving', 'terse', [
    s('NEWS2 now 1 (low risk), falling from 9 (high) 60 hours ago.'),
    s('SpO2 89% on air, scale 2.'),
    s('Apixaban: all doses given.'),
  ]),
  // False: "Latest {news2.max.total}" renders the peak (9, 60 h ago) as the latest score; news2.latest.total = 1.
  f('h7-improving-max-path', 'improving', 'wrong-path', [
    s('Latest {news2.max.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, and {news2.trend.direction}.'),
    s('{vitals.latest.spo2} on air, SpO2 scale 2.'),
  ]),
  // False: "{vitals.latest.spo2} on air scores 3" breaks news2.latest.subScores.spo2 = 0 (scale 2: 89% scores 0; only pulse scores).
  f('h7-improving-spo2-scored', 'improving', 'wrong-subscore', [
    s('NEWS2 {news2.latest.total} ({news2.latest.band}), {news2.trend.direction} from a peak of {news2.max.total} {news2.max.hoursAgo}.'),
    s('{vitals.latest.spo2} on air still scores 3.'),
  ]),

  // ===== insulin: latest NEWS2 2 (low), 2 h ago, stable; Insulin aspart (critical) refused 3, last 3 in a row; Levetiracetam (critical) missed 1, 13 of 14 =====
  // Rests on Insulin aspart refused 3 / current run 3, Levetiracetam missed 1, latest 2 low 2 h, trend stable.
  t('h7-insulin-refs', 'insulin', 'refs', [
    s(
      '{adherence.meds.0.drug} refused {adherence.meds.0.refused} times, the last {adherence.meds.0.currentMissedRun} doses in a row.',
      'adherence.meds.0',
    ),
    s('{adherence.meds.1.drug}: {adherence.meds.1.missed} dose missed.', 'adherence.meds.1'),
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, {news2.trend.direction}.',
      'news2.latest',
      'news2.trend',
    ),
  ]),
  // Rests on Insulin aspart refused at the last 3 doses, Levetiracetam missed 1 (13 of 14 given), latest 2 low stable 2 h ago.
  t('h7-insulin-plain', 'insulin', 'medicine-first', [
    s('Insulin aspart was refused at the last 3 doses; Levetiracetam was missed once (13 of 14 given).'),
    s('NEWS2 2 (low), stable, 2 hours ago.'),
  ]),
  // Rests on latest 2 low, low response (RN assesses, 4–6-hourly), Insulin aspart refused 3, Levetiracetam missed 1, overallPct 94.
  t('h7-insulin-semicolons', 'insulin', 'semicolons', [
    s(
      'Of note, critical medicines not taken: {adherence.meds.0.drug} refused {adherence.meds.0.refused} times; {adherence.meds.1.drug} missed {adherence.meds.1.missed} time.',
    ),
    s(
      'Latest {news2.latest.total}, {news2.latest.band} risk; RN to assess and decide frequency, at least {news2.latest.response.minimumMonitoring}.',
    ),
    s('Overall adherence {adherence.overallPct}.'),
  ]),
  // False by omission: Levetiracetam (critical) missed 1 is never said.
  f('h7-insulin-levetiracetam-omitted', 'insulin', 'critical-medicine-omitted', [
    s('{adherence.meds.0.drug}: the last {adherence.meds.0.refused} doses refused.'),
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, {news2.trend.direction}.'),
    s('Overall adherence {adherence.overallPct}.'),
  ]),
  // False: "({adherence.meds.1.given} of {adherence.meds.1.due} given)" for Insulin aspart renders Levetiracetam's 13 of 14; Insulin aspart was 18 of 21.
  f('h7-insulin-wrong-count-path', 'insulin', 'wrong-path', [
    s(
      '{adherence.meds.0.drug} refused {adherence.meds.0.refused} times ({adherence.meds.1.given} of {adherence.meds.1.due} given); {adherence.meds.1.drug} missed {adherence.meds.1.missed}.',
    ),
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.trend.direction}.'),
  ]),
];
