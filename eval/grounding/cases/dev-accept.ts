// Development set, true answers: phrased as careful current models phrase handover summaries, citations as they cite.
import { corrected } from './corrected';
import { s, type EvalCase } from './types';

const accept = (id: string, patient: EvalCase['patient'], category: string, answer: EvalCase['answer']): EvalCase => ({
  id,
  patient,
  truth: true,
  category,
  answer,
  // Told that something was unsupported, a careful model falls back on its plainest true phrasing.
  repair: corrected[patient],
});

export const devAccept: EvalCase[] = [
  // --- high ---
  accept('high-careful-1', 'high', 'careful', [
    s(
      'Latest NEWS2 is 8 (high risk), recorded 2 hours ago, and the trend is rising (mean 7 over the last 2 complete sets vs 2 before).',
      'news2.latest',
      'news2.trend',
    ),
    s(
      'Respiratory rate 24/min, SpO2 94% on supplemental oxygen, BP 108/70 mmHg, heart rate 104/min and temperature 38.4 °C; alert.',
      'vitals.latest',
    ),
    s(
      'NEWS2 response: inform the medical team immediately (at least registrar level) for emergency assessment by a critical-care-competent team; continuous monitoring.',
      'news2.latest.response',
    ),
    s(
      'Apixaban: 2 of 14 doses missed, both of the last 2 in a row (86% adherence); overall adherence 91%.',
      'adherence.meds.0',
      'adherence.overallPct',
    ),
    s('Care notes flag a fall, pain and an escalation for review.', 'notes'),
  ]),
  accept('high-careful-2', 'high', 'careful', [
    s('NEWS2 has risen to 8 (high) from 0 three days ago; latest set 2 h ago.', 'news2.latest', 'news2.scores'),
    s('Drivers: RR 24 (2 points), SpO2 94% (1) on O2 (2), SBP 108 (1), HR 104 (1), temp 38.4 °C (1).', 'vitals.drivers.latest'),
    s('Urgent escalation: emergency assessment by a critical care team; consider HDU/ICU.', 'news2.latest.response'),
    s('Two missed doses of Apixaban (anticoagulant), the most recent two.', 'adherence.meds.0'),
  ]),
  accept('high-hop-sibling', 'high', 'citation one hop off', [
    s('Latest NEWS2 8 (high risk) 2 hours ago, up from 6 ten hours ago.', 'vitals.latest'),
    s('Heart rate 104/min and respiratory rate 24/min.', 'news2.latest'),
    s('Apixaban: 2 doses missed in a row.', 'adherence.meds.1'),
  ]),
  accept('high-hop-missing-hours', 'high', 'citation one hop off', [
    s('NEWS2 is 8 (high risk), taken 2 hours ago; rising trend.', 'news2.latest.total', 'news2.trend.direction'),
    s('The last 2 Apixaban doses were missed (12 of 14 given).', 'adherence.meds.0.currentMissedRun'),
  ]),
  accept('high-shorthand', 'high', 'shorthand', [
    s('NEWS2 8, high risk, rising.', 'news2.latest', 'news2.trend'),
    s('Sats 94% on O2, HR 104, RR 24, BP 108/70, T 38.4.', 'vitals.latest'),
    s('Apixaban missed x2 (12/14 given).', 'adherence.meds.0'),
  ]),
  accept('high-no-citations', 'high', 'no citations', [
    s('The latest NEWS2 is 8, which is high risk, and it has been rising.'),
    s('The medical team should be informed immediately and the patient monitored continuously.'),
    s('Apixaban doses have been missed twice in a row.'),
  ]),
  accept('high-references', 'high', 'references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.'),
    s('{vitals.latest.respiratoryRate}, {vitals.latest.spo2} on oxygen, {vitals.latest.heartRate}.'),
    s('Apixaban: {adherence.meds.0.missed} doses missed, the last {adherence.meds.0.currentMissedRun} in a row.'),
  ]),

  // --- normal ---
  accept('normal-careful-1', 'normal', 'careful', [
    s(
      'Latest NEWS2 is 0 (low risk), 3 hours ago: all parameters within normal range — RR 16, SpO2 98% on air, BP 126/78, HR 72, temperature 36.8 °C, alert.',
      'news2.latest',
      'vitals.latest',
    ),
    s('NEWS2 has been stable at 0; routine 12-hourly monitoring.', 'news2.trend', 'news2.latest.response'),
    s('Full medication adherence: all 28 due doses given.', 'adherence'),
  ]),
  accept('normal-careful-2', 'normal', 'careful', [
    s('Stable patient: NEWS2 0 on each of the 3 sets this week, the latest 3 h ago.', 'news2'),
    s('No missed or refused doses (Amoxicillin 21/21, Furosemide 7/7).', 'adherence.meds'),
    s('No escalation needed; routine monitoring.', 'news2.latest.response'),
  ]),
  accept('normal-plain', 'normal', 'careful', [s('Observations are normal (NEWS2 0) and all medicines were given; routine monitoring.')]),
  accept('normal-references', 'normal', 'references', [
    s('{news2.latest.total}, {news2.latest.band} risk, {news2.latest.hoursAgo}.'),
    s('Adherence {adherence.overallPct}.'),
  ]),

  // --- medium ---
  accept('medium-careful-1', 'medium', 'careful', [
    s('Latest NEWS2 is 6 (medium risk), 4 hours ago, with SpO2 88% on air scoring 3 on its own.', 'news2.latest', 'vitals.latest.spo2'),
    s('Respiratory rate 22/min and heart rate 94/min also score; BP 132/80, temperature 37.4 °C, alert.', 'vitals.latest'),
    s('NEWS2 has been stable between 5 and 6 over the last 40 hours.', 'news2.scores'),
    s('Response: inform the medical team immediately for urgent assessment; at least 1-hourly observations.', 'news2.latest.response'),
    s('All doses of levetiracetam and enoxaparin given.', 'adherence.meds'),
  ]),
  accept('medium-careful-2', 'medium', 'careful', [
    s(
      'Medium clinical risk (NEWS2 6), driven by low oxygen saturations of 88% on room air (a red score).',
      'news2.latest',
      'vitals.latest',
    ),
    s('Needs urgent review by the medical team and hourly observations.', 'news2.latest.response'),
  ]),
  accept('medium-hop-subscores', 'medium', 'citation one hop off', [
    s('NEWS2 6 (medium): SpO2 88% (3 points), RR 22 (2 points), HR 94 (1 point).', 'vitals.latest'),
    s('Trend stable (mean 5.5 vs 5.5).', 'news2.latest'),
    s('Inform the medical team immediately.', 'news2.trend'),
  ]),
  accept('medium-approx', 'medium', 'careful', [
    s('About 4 hours ago the NEWS2 was 6 (medium risk), unchanged from earlier sets.', 'news2.latest', 'news2.trend'),
    s('Saturations 88% on air; tachypnoeic at 22/min.', 'vitals.latest'),
    s('Urgent medical assessment is indicated.', 'news2.latest.response'),
  ]),

  // --- red ---
  accept('red-careful-1', 'red', 'careful', [
    s(
      'Latest NEWS2 is 3, but systolic BP 88 mmHg scores 3 on its own, so risk is low-medium: inform the medical team, who decide whether to escalate; 1-hourly observations.',
      'news2.latest',
      'vitals.latest.systolicBp',
    ),
    s('Other observations scored 0 (RR 16, SpO2 97% on air, HR 84, temperature 36.9 °C, alert).', 'vitals.latest'),
    s('Insulin glargine (critical): 2 of 7 doses refused, the last 2 in a row; metformin fully given.', 'adherence.meds'),
  ]),
  accept('red-careful-2', 'red', 'careful', [
    s('Red score: hypotensive at 88/54 mmHg 1.5 hours ago (NEWS2 3, low-medium).', 'vitals.latest', 'news2.latest'),
    s('Insulin glargine refused twice (71% of doses given); overall adherence 90%.', 'adherence.meds.0', 'adherence.overallPct'),
    s('Notes record the refusal.', 'notes'),
  ]),
  accept('red-hop-index', 'red', 'citation one hop off', [
    s('NEWS2 3 with a single-parameter score of 3 (systolic BP 88): low-medium risk.', 'news2.max'),
    s('Insulin glargine: last 2 doses refused.', 'adherence.meds.1'),
  ]),

  // --- partial ---
  accept('partial-careful-1', 'partial', 'careful', [
    s(
      'Observations are overdue: the last set was 9 hours ago (overdue after 6 hours).',
      'vitals.hoursSinceLastObservation',
      'vitals.overdueAfterHours',
    ),
    s(
      'That set was incomplete — temperature and consciousness were not recorded — so its NEWS2 of 2 is partial (at least low risk).',
      'news2.latest',
    ),
    s('Recorded values: RR 20/min, SpO2 95% on air, BP 114/72 mmHg, HR 96/min.', 'vitals.latest'),
    s('Paracetamol: 2 of 24 doses missed; amoxicillin all given.', 'adherence.meds'),
  ]),
  accept('partial-careful-2', 'partial', 'careful', [
    s('Partial NEWS2 of 2 from an incomplete set 9 h ago (no temperature or consciousness level).', 'news2.latest'),
    s('Obs are overdue and a full set is needed.', 'vitals.overdue'),
  ]),
  accept('partial-hop', 'partial', 'citation one hop off', [
    s(
      'Latest observations 9 hours ago, now overdue; partial NEWS2 2 (temperature and consciousness missing).',
      'news2.latest.total',
      'vitals.overdue',
    ),
    s('Overall adherence 95%, 2 paracetamol doses missed.', 'adherence.meds.1'),
  ]),

  // --- rejected ---
  accept('rejected-careful-1', 'rejected', 'careful', [
    s(
      'The latest set (1 hour ago) recorded SpO2 250%, an impossible value that was rejected and not scored, so the NEWS2 of 0 is partial.',
      'news2.latest',
    ),
    s('Other values scored 0: RR 18/min, BP 136/82 mmHg, HR 78/min, temperature 37.1 °C, alert.', 'vitals.latest'),
    s('A temperature of 60 °C 50 hours ago was also rejected as a charting error.', 'news2.scores'),
    s('Amlodipine: all 7 doses given.', 'adherence.meds.0'),
  ]),
  accept('rejected-careful-2', 'rejected', 'careful', [
    s(
      'SpO2 could not be scored at the latest set: the charted 250% is physiologically impossible, so NEWS2 is partial (0 from the remaining parameters).',
      'news2.latest.rejected',
      'news2.latest',
    ),
    s('Please recheck oxygen saturation.'),
  ]),

  // --- improving ---
  accept('improving-careful-1', 'improving', 'careful', [
    s(
      'NEWS2 has fallen from a peak of 9 (high risk) 60 hours ago to 1 (low risk) at the latest set 3 hours ago; the trend is improving (mean 1.7 over the last 3 sets vs 7 before).',
      'news2.max',
      'news2.latest',
      'news2.trend',
    ),
    s('At the peak: RR 26/min, SpO2 84% on oxygen, SBP 104, HR 98.', 'vitals.drivers.max'),
    s(
      'Now on room air with SpO2 89% (scale 2, target for hypercapnic respiratory failure), RR 19, HR 92, BP 118/78, temperature 37.6 °C.',
      'vitals.latest',
      'news2.scale',
    ),
    s('All doses of Apixaban and prednisolone given.', 'adherence.meds'),
  ]),
  accept('improving-careful-2', 'improving', 'careful', [
    s('Improving: NEWS2 1 now vs 9 at the worst, 60 h ago.', 'news2'),
    s('SpO2 89% on air, scored on scale 2.', 'vitals.latest.spo2', 'news2.scale'),
    s('Monitoring 4–6-hourly per NEWS2.', 'news2.latest.response'),
  ]),
  accept('improving-hop', 'improving', 'citation one hop off', [
    s('Down from NEWS2 7 two days ago to 1 now; falling trend.', 'news2.latest', 'news2.trend'),
    s('Pulse 92 scores 1; all other parameters 0.', 'news2.latest.subScores'),
  ]),
  accept('improving-references', 'improving', 'references', [
    s('{news2.latest.total} now, down from a peak of {news2.max.total} {news2.max.hoursAgo}; trend {news2.trend.direction}.'),
    s('{vitals.latest.spo2} on air, scale {news2.scale}.'),
  ]),

  // --- insulin ---
  accept('insulin-careful-1', 'insulin', 'careful', [
    s('Latest NEWS2 is 2 (low risk), 2 hours ago, from SpO2 95% and heart rate 92/min; trend stable.', 'news2.latest', 'news2.trend'),
    s(
      'Critical medicines: insulin aspart refused for the last 3 doses (18 of 21 given); levetiracetam 1 missed dose (13 of 14).',
      'adherence.meds',
    ),
    s('Overall adherence 94%; notes document the insulin refusal.', 'adherence.overallPct', 'notes'),
  ]),
  accept('insulin-careful-2', 'insulin', 'careful', [
    s('Low risk (NEWS2 2), stable.', 'news2.latest'),
    s('Three consecutive insulin aspart doses refused and one levetiracetam dose missed.', 'adherence.meds.0', 'adherence.meds.1'),
    s('4–6-hourly observations.', 'news2.latest.response'),
  ]),
  accept('insulin-shorthand', 'insulin', 'shorthand', [
    s('NEWS2 2, low.', 'news2.latest'),
    s('Insulin aspart refused x3 (86%), levetiracetam missed x1 (93%).', 'adherence.meds'),
  ]),
  accept('insulin-hop', 'insulin', 'citation one hop off', [
    s('NEWS2 2 (low risk).', 'vitals.latest'),
    s('Insulin aspart: 3 refused; levetiracetam: 1 missed.', 'adherence.meds.2'),
  ]),

  // --- more voices ---
  accept('high-verbose', 'high', 'careful', [
    s(
      'This patient is deteriorating: the NEWS2 has climbed from 4 twenty-two hours ago to 6 ten hours ago and 8 at the latest set two hours ago, which is high risk.',
      'news2.scores',
      'news2.latest',
    ),
    s('They are now on oxygen with saturations of 94%, febrile at 38.4 °C and tachycardic at 104/min.', 'vitals.latest'),
    s(
      'The NEWS2 response is an emergency assessment by a critical-care-competent team and continuous monitoring.',
      'news2.latest.response',
    ),
    s('Two doses of Apixaban, an anticoagulant, have been missed consecutively.', 'adherence.meds.0'),
  ]),
  accept('high-bullet', 'high', 'shorthand', [
    s('NEWS2: 8 (high), rising.', 'news2.latest'),
    s('Obs: RR 24, SpO2 94% on O2, BP 108/70, HR 104, T 38.4 °C, alert.', 'vitals.latest'),
    s('Meds: Apixaban 2 missed (last 2); paracetamol 1 refused.', 'adherence.meds'),
  ]),
  accept('normal-bullet', 'normal', 'shorthand', [
    s('NEWS2 0 (low), stable; obs 3 h ago, all within range.', 'news2.latest'),
    s('Meds: 28/28 given.', 'adherence'),
  ]),
  accept('normal-verbose', 'normal', 'careful', [
    s('Observations have been reassuring all week, with a NEWS2 of 0 at every set, most recently three hours ago.', 'news2'),
    s('Heart rate 72, blood pressure 126/78 and temperature 36.8 °C at the latest set.', 'vitals.latest'),
    s('Every prescribed dose of amoxicillin and furosemide was given.', 'adherence.meds'),
  ]),
  accept('medium-verbose', 'medium', 'careful', [
    s(
      'The patient remains at medium risk with a NEWS2 of 6, unchanged in trend, largely because oxygen saturation is 88% on room air, which scores 3 by itself.',
      'news2.latest',
      'news2.trend',
      'vitals.latest.spo2',
    ),
    s('Respiratory rate is 22/min and pulse 94/min.', 'vitals.latest'),
    s('The medical team should be informed immediately and observations done at least hourly.', 'news2.latest.response'),
  ]),
  accept('medium-bullet', 'medium', 'shorthand', [
    s('NEWS2 6 (medium), stable.', 'news2.latest', 'news2.trend'),
    s('SpO2 88% RA (+3), RR 22 (+2), HR 94 (+1).', 'vitals.drivers.latest'),
    s('Urgent medical review; hourly obs.', 'news2.latest.response'),
  ]),
  accept('red-bullet', 'red', 'shorthand', [
    s('NEWS2 3 — low-medium (SBP 88 = 3).', 'news2.latest'),
    s('Insulin glargine refused x2.', 'adherence.meds.0'),
    s('Inform medical team; 1-hourly obs.', 'news2.latest.response'),
  ]),
  accept('partial-bullet', 'partial', 'shorthand', [
    s('Obs overdue: last set 9 h ago.', 'vitals.hoursSinceLastObservation'),
    s('Partial NEWS2 2 (temp and consciousness not recorded).', 'news2.latest'),
  ]),
  accept('partial-verbose', 'partial', 'careful', [
    s('The most recent observations are 9 hours old, beyond the 6-hour limit, so they are overdue.', 'vitals'),
    s(
      'That set did not include a temperature or a consciousness assessment, so its NEWS2 of 2 is incomplete and may underestimate risk.',
      'news2.latest',
    ),
    s('Two paracetamol doses were missed; amoxicillin was given in full.', 'adherence.meds'),
  ]),
  accept('rejected-bullet', 'rejected', 'shorthand', [
    s('SpO2 250% charted 1 h ago: impossible, rejected, not scored.', 'news2.latest.rejected'),
    s('NEWS2 0 from the other parameters is therefore partial.', 'news2.latest'),
  ]),
  accept('improving-bullet', 'improving', 'shorthand', [
    s('NEWS2 1 (low), falling; peak 9 (high) 60 h ago.', 'news2'),
    s('On air, SpO2 89% (scale 2).', 'vitals.latest'),
  ]),
  accept('improving-verbose', 'improving', 'careful', [
    s('The patient has improved considerably: NEWS2 fell steadily from 9 to 7, 5, 3 and now 1 over the past 60 hours.', 'news2.scores'),
    s('Oxygen was stopped and saturations are 89% on air, within the scale 2 target.', 'vitals.latest'),
  ]),
  accept('insulin-bullet', 'insulin', 'shorthand', [
    s('NEWS2 2 (low), stable.', 'news2.latest'),
    s('Insulin aspart: last 3 refused. Levetiracetam: 1 missed.', 'adherence.meds'),
  ]),
  accept('insulin-verbose', 'insulin', 'careful', [
    s('Observations are low risk with a NEWS2 of 2, stable over the week.', 'news2.latest', 'news2.trend'),
    s(
      'The main concern is medication: the patient has refused the last three doses of insulin aspart, and one dose of levetiracetam was missed.',
      'adherence.meds',
    ),
    s('Paracetamol was given in full.', 'adherence.meds.2'),
  ]),
  accept('high-refs-verbose', 'high', 'references', [
    s(
      'The latest {news2.latest.total} ({news2.latest.band} risk) was recorded {news2.latest.hoursAgo} and the trend is {news2.trend.direction}.',
    ),
    s('Heart rate {vitals.latest.heartRate}, temperature {vitals.latest.temperatureC}.'),
    s('Apixaban: the last {adherence.meds.0.currentMissedRun} doses were missed.'),
  ]),

  // --- the answer is not the JSON shape at first ---
  accept('invalid-then-true', 'normal', 'invalid then true', 'Here is the summary:\nNEWS2 0, all normal.'),
  accept(
    'fenced',
    'medium',
    'fenced',
    `\`\`\`json\n${JSON.stringify({ sentences: [{ text: 'NEWS2 6 (medium risk): SpO2 88% on air scores 3; urgent assessment by the medical team.', facts: ['news2.latest'] }] })}\n\`\`\``,
  ),
];
