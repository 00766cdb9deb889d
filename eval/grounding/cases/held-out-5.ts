// Fifth held-out set: written 2026-12-01 without reading the checker's rules or the other sets (careful prose style); run once.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut5: EvalCase[] = [
  // ===== high =====
  // True: NEWS2 8 high 2 h ago; sub-scores RR 24 (+2), oxygen (+2), SpO2 94 (+1), SBP 108 (+1), HR 104 (+1), T 38.4 (+1); previous set 6 at 10 h; continuous monitoring; Apixaban 2 of 14 missed, last 2.
  t('h5-high-prose', 'high', 'prose', [
    s('The latest NEWS2 is 8, recorded {news2.latest.hoursAgo}, which places the patient in the high-risk band.'),
    s(
      'This is driven mainly by a respiratory rate of 24 and the need for supplemental oxygen, which score two points each, with single points from saturations of 94%, a systolic blood pressure of 108 mmHg, a heart rate of 104 and a temperature of 38.4 °C.',
    ),
    s('The score has been rising, up from 6 at the previous set ten hours ago.'),
    s('Per NEWS2, the medical team should be informed immediately for an emergency assessment, and monitoring should be continuous.'),
    s('Of note, the last two doses of Apixaban were missed, so two of its fourteen due doses have not been given.'),
  ]),
  // True: scores 0 @46 h, 4 @22 h, 6 @10 h, 8 @2 h (high); on oxygen, SpO2 94, RR 24, T 38.4; Apixaban last 2 missed; Paracetamol 1 refused.
  t('h5-high-comparison', 'high', 'prose-comparison', [
    s(
      "Of most concern, the patient's NEWS2 has climbed from 0 at the set 46 hours ago to 4 at the set 22 hours ago, 6 ten hours ago and now 8 {news2.latest.hoursAgo}, which is in the high-risk band.",
    ),
    s('The patient is now on supplemental oxygen with SpO2 {vitals.latest.spo2}, a respiratory rate of 24 and a temperature of 38.4 °C.'),
    s(
      'The NEWS2 response is for the medical team to be informed immediately, at least at registrar level, with an emergency assessment and continuous monitoring.',
    ),
    s(
      'It is worth noting that two consecutive doses of Apixaban, an anticoagulant, have been missed, and one dose of Paracetamol was refused.',
    ),
  ]),
  // True: NEWS2 8 high, rising; RR 24, SpO2 94 on oxygen, BP 108/70, HR 104, T 38.4; Apixaban last 2 missed; overall 91%, 31 of 34 given.
  t('h5-high-closing', 'high', 'prose-closing', [
    s(
      'The latest score, {news2.latest.total}, is high risk and the trend is rising, with a respiratory rate of 24, SpO2 {vitals.latest.spo2} on supplemental oxygen, blood pressure 108/70 mmHg, a heart rate of 104 and a temperature of 38.4 °C.',
    ),
    s('The medical team should be informed immediately for emergency assessment, with continuous monitoring.'),
    s('The last two doses of Apixaban were missed; overall, 31 of 34 due doses were given (91% adherence).'),
    s('In summary, this is a deteriorating picture that needs an emergency medical assessment.'),
  ]),
  // False: "saturations fell to 89% on air" is the care note's number, not a measured set (no set has SpO2 89; the lowest charted is 94).
  f('h5-high-note-spo2', 'high', 'note-as-measured', [
    s('The latest NEWS2 is 8, recorded {news2.latest.hoursAgo}, which places the patient in the high-risk band, and it has been rising.'),
    s(
      'Saturations fell to 89% on air earlier this morning, prompting supplemental oxygen, and they are now 94% on oxygen with a respiratory rate of 24 and a temperature of 38.4 °C.',
    ),
    s('The medical team should be informed immediately for an emergency assessment, with continuous monitoring.'),
    s('Of note, the last two doses of Apixaban were missed.'),
  ]),
  // False: "on room air" — the latest set is on oxygen (onOxygen true, scoring +2).
  f('h5-high-room-air', 'high', 'room-air', [
    s(
      'The latest NEWS2, recorded {news2.latest.hoursAgo}, is 8, which is in the high-risk band, up from 6 at the previous set ten hours ago.',
    ),
    s('This reflects a respiratory rate of 24, saturations of 94% on room air, a heart rate of 104 and a temperature of 38.4 °C.'),
    s('Per NEWS2, the medical team should be informed immediately for an emergency assessment, with continuous monitoring.'),
    s('The last two doses of Apixaban were missed.'),
  ]),
  // False: "dropped to 108 mmHg from 104 mmHg at the previous set" — systolic rose from 104 (10 h) to 108 (2 h).
  f('h5-high-wrong-direction', 'high', 'wrong-direction', [
    s('The latest NEWS2 is 8, recorded {news2.latest.hoursAgo}, placing the patient in the high-risk band, and the trend is rising.'),
    s(
      'The patient is on supplemental oxygen with saturations of 94% and a respiratory rate of 24, and the systolic blood pressure has dropped further to 108 mmHg from 104 mmHg at the previous set.',
    ),
    s('The medical team should be informed immediately for emergency assessment, with continuous monitoring.'),
    s('Two doses of Apixaban, the most recent ones, were missed.'),
  ]),

  // ===== normal =====
  // True: sets at 27, 15 and 3 h all NEWS2 0; latest 3 h ago, low, stable; 12-hourly routine; 28 of 28 doses, 100%.
  t('h5-normal-prose', 'normal', 'prose', [
    s(
      "The patient's NEWS2 has been 0 at all three sets charted over the past 27 hours, the most recent {news2.latest.hoursAgo}, which is in the low-risk band, and the trend is stable.",
    ),
    s('Per NEWS2, routine monitoring at a minimum of every 12 hours is appropriate.'),
    s('All 28 due doses of Amoxicillin and Furosemide were given, which is 100% adherence.'),
  ]),
  // True: latest 3 h ago RR 16, SpO2 98 on air, BP 126/78, HR 72, T 36.8, NEWS2 0 low; Amoxicillin 21/21, Furosemide 7/7; routine 12-hourly.
  t('h5-normal-values', 'normal', 'prose-refs', [
    s(
      'At the latest set, {news2.latest.hoursAgo}, the respiratory rate was 16, SpO2 {vitals.latest.spo2} on air, blood pressure 126/78 mmHg, heart rate 72 and temperature 36.8 °C, giving a NEWS2 of 0 (low risk).',
    ),
    s('It is worth noting that all twenty-one doses of Amoxicillin and all seven doses of Furosemide were given.'),
    s('Routine 12-hourly observations can continue.'),
  ]),
  // False: "heart rate of 74" is the 15 h set's value presented as current (latest HR 72).
  f('h5-normal-stale-hr', 'normal', 'earlier-set-as-current', [
    s('The latest NEWS2 is 0, recorded {news2.latest.hoursAgo}, which is in the low-risk band, and it has been 0 at every set.'),
    s(
      'Observations are within normal limits, with a respiratory rate of 16, saturations of 98% on air, a heart rate of 74 and a temperature of 36.8 °C.',
    ),
    s('Routine 12-hourly monitoring applies, and all doses were given.'),
  ]),
  // False: counts swapped between medicines — Amoxicillin had 21 doses due and Furosemide 7, not the reverse.
  f('h5-normal-swapped-counts', 'normal', 'wrong-medicine', [
    s('The NEWS2 is 0 (low risk) at the latest set {news2.latest.hoursAgo}, and routine 12-hourly observations apply.'),
    s('Of the medicines, all twenty-one doses of Furosemide and all seven doses of Amoxicillin were given, so adherence is 100%.'),
  ]),

  // ===== medium =====
  // True: NEWS2 6 medium 4 h ago; SpO2 88 on air (+3), RR 22 (+2), HR 94 (+1); scores 5, 6, 5, 6 at 40/28/16/4 h, stable; inform immediately, 1-hourly; all doses given.
  t('h5-medium-prose', 'medium', 'prose', [
    s('The latest NEWS2, recorded {news2.latest.hoursAgo}, is 6, which places the patient in the medium-risk band.'),
    s(
      'This is driven mainly by oxygen saturations of 88% on room air, which on their own score three points, together with a respiratory rate of 22 (two points) and a heart rate of 94 (one point).',
    ),
    s('The score has been stable, alternating between 5 and 6 across the four sets over the past 40 hours.'),
    s('Per NEWS2, the medical team should be informed immediately for an urgent assessment, with observations at least hourly.'),
    s('All doses of Levetiracetam and Enoxaparin have been given.'),
  ]),
  // True: SpO2 88 on air scores 3; NEWS2 6 medium; RR 22, HR 94; SBP 132/80 and T 37.4 score 0; 21 of 21 doses.
  t('h5-medium-refs', 'medium', 'prose-refs', [
    s(
      'Of note, SpO2 {vitals.latest.spo2} on air scores 3 on its own and contributes to a medium-risk NEWS2 of 6, recorded {news2.latest.hoursAgo}.',
    ),
    s(
      'The respiratory rate is 22 and the heart rate 94, while the blood pressure of 132/80 mmHg and temperature of 37.4 °C are not scoring.',
    ),
    s('The medical team should be informed immediately for urgent review, and observations should be repeated at least every hour.'),
    s('Medication adherence has been 100%, with every one of the 21 due doses given.'),
  ]),
  // True: NEWS2 6 @4 h vs 5 @16 h; trend stable; SpO2 88 now vs 89 @28 h; RR 22, HR 94; medium; inform immediately, 1-hourly.
  t('h5-medium-comparison', 'medium', 'prose-comparison', [
    s(
      'The NEWS2 of 6 at the latest set, four hours ago, is up from 5 at the previous set 16 hours ago, although the overall trend is stable and the patient remains in the medium-risk band.',
    ),
    s(
      'Saturations are 88% on air, which scores three points and is slightly lower than the 89% recorded 28 hours ago, with a respiratory rate of 22 and a heart rate of 94.',
    ),
    s(
      'The medical team should be informed immediately for an urgent assessment by a clinician with acute-illness competencies, with at least hourly monitoring.',
    ),
  ]),
  // False: "heart rate between 92 and 94 over the past two days" — the set 28 h ago had HR 96.
  f('h5-medium-range-outside', 'medium', 'range-outside', [
    s(
      'The latest NEWS2 is 6, recorded {news2.latest.hoursAgo}, in the medium-risk band, driven mainly by saturations of 88% on air, which score three points.',
    ),
    s('The respiratory rate is 22, and the heart rate has stayed between 92 and 94 over the past two days.'),
    s('The medical team should be informed immediately for an urgent assessment, with observations at least hourly.'),
  ]),
  // False: "four-hourly observations should be sufficient" and no escalation — the response is inform immediately, monitoring at least 1-hourly.
  f('h5-medium-reassurance', 'medium', 'false-reassurance', [
    s(
      'The latest NEWS2 is 6 (medium risk), recorded {news2.latest.hoursAgo}, mainly because saturations of 88% on air score three points.',
    ),
    s(
      'Given that the score has been at this level for almost two days without further deterioration, the patient appears settled and four-hourly observations should be sufficient.',
    ),
    s('All doses of Levetiracetam and Enoxaparin were given.'),
  ]),

  // ===== red =====
  // True: NEWS2 3 low-medium 1.5 h ago because SBP 88 scores 3; RR 16, SpO2 97 air, HR 84, T 36.9 score 0; inform team, 1-hourly; glargine last 2 refused, 5 of 7 given.
  t('h5-red-prose', 'red', 'prose', [
    s(
      'Although the total NEWS2 is only 3, recorded {news2.latest.hoursAgo}, the patient falls into the low-medium risk band because the systolic blood pressure of 88 mmHg scores 3 on its own.',
    ),
    s(
      'The remaining observations are not scoring: respiratory rate 16, SpO2 {vitals.latest.spo2} on air, heart rate 84 and temperature 36.9 °C.',
    ),
    s('Per NEWS2, the medical team should be informed and will decide whether escalation is needed, with observations at least hourly.'),
    s('It is also worth noting that the last two doses of Insulin glargine were refused, so five of its seven due doses have been given.'),
  ]),
  // True: SBP 88 at the 1.5 h set scores 3, low-medium, total 3; previous set NEWS2 1 at 14 h; glargine 2 of 7 refused, last two; Metformin 14 of 14.
  t('h5-red-comparison', 'red', 'prose-comparison', [
    s(
      'The systolic blood pressure at the latest set, an hour and a half ago, was 88 mmHg, which is a red score of 3 and places the patient in the low-medium risk band despite a total NEWS2 of 3.',
    ),
    s('This compares with a NEWS2 of 1 at the previous set 14 hours ago.'),
    s('Insulin glargine was refused on the last two occasions (two of seven doses), while all 14 doses of Metformin were given.'),
    s('The medical team should be informed, and monitoring should be kept at least hourly.'),
  ]),
  // True: NEWS2 3 low-medium 1.5 h ago; only SBP 88/54 scores (3); glargine 2 refused in a row, 71%; overall 90%.
  t('h5-red-refs', 'red', 'prose-refs', [
    s(
      'The latest score, {news2.latest.total}, recorded {news2.latest.hoursAgo}, is in the low-medium band and is driven entirely by a blood pressure of 88/54 mmHg, the systolic value scoring 3 on its own.',
    ),
    s('Two doses of Insulin glargine have been refused in a row, bringing its adherence to 71%, while overall adherence is 90%.'),
    s('The medical team should be informed, and observations should be carried out at least hourly.'),
  ]),
  // False: "in the low-risk band" — a single score of 3 makes the band low-medium.
  f('h5-red-band-word', 'red', 'wrong-band', [
    s(
      'The latest NEWS2 is 3, recorded {news2.latest.hoursAgo}, which is in the low-risk band, although the systolic blood pressure of 88 mmHg scores 3 and deserves attention.',
    ),
    s('The other observations are not scoring, with a heart rate of 84 and saturations of 97% on air.'),
    s('The last two doses of Insulin glargine were refused.'),
  ]),
  // False: "Insulin glargine adherence of 90%" — 90% is the overall figure; glargine is 71% (5 of 7).
  f('h5-red-wrong-pct', 'red', 'wrong-adherence-pct', [
    s(
      'The NEWS2 is 3, recorded {news2.latest.hoursAgo}, but the patient is in the low-medium band because the systolic blood pressure of 88 mmHg scores 3 on its own.',
    ),
    s('The medical team should be informed, with observations at least hourly.'),
    s('Of note, the last two doses of Insulin glargine were refused, giving an adherence for that medicine of 90%.'),
  ]),

  // ===== partial =====
  // True: latest set 9 h ago partial (consciousness, temperature missing), partial NEWS2 2; overdue after 6 h; SpO2 95 (+1), HR 96 (+1), RR 20, BP 114/72; Paracetamol 2 missed, Amoxicillin all given.
  t('h5-partial-prose', 'partial', 'prose', [
    s(
      'The most recent observations were taken nine hours ago and are incomplete, as neither temperature nor consciousness was recorded, so the NEWS2 of 2 is only a partial score.',
    ),
    s('Of note, observations are now overdue, since at this level they are due at least every six hours.'),
    s(
      'Among the recorded values, SpO2 {vitals.latest.spo2} and a heart rate of 96 each score one point, with a respiratory rate of 20 and a blood pressure of 114/72 mmHg.',
    ),
    s('Two doses of Paracetamol were missed, and all doses of Amoxicillin were given.'),
  ]),
  // True: last set 9 h ago, overdue (6 h); partial, temperature and consciousness missing; partial NEWS2 2 (at least, may be higher).
  t('h5-partial-refs', 'partial', 'prose-refs', [
    s(
      'It is worth noting that observations are overdue: the last set was recorded {news2.latest.hoursAgo}, against an expected interval of no more than six hours.',
    ),
    s(
      'That set was partial, lacking temperature and consciousness, and gives a partial NEWS2 of {news2.latest.total}, so the true score may be higher.',
    ),
    s('Two doses of Paracetamol were missed during the week.'),
  ]),
  // True: latest 9 h ago partial, NEWS2 2 on measured parameters; complete set 21 h ago also 2; overdue (6 h); adherence 95%, Paracetamol 2 missed.
  t('h5-partial-comparison', 'partial', 'prose-comparison', [
    s(
      'The latest set, nine hours ago, is partial because temperature and consciousness were not recorded; on the parameters that were measured the NEWS2 is 2, the same as at the complete set 21 hours ago.',
    ),
    s('Observations are therefore both incomplete and overdue, as they were due within six hours.'),
    s('Medication adherence is 95%, with two missed doses of Paracetamol.'),
  ]),
  // False: leaves out that observations are overdue (last set 9 h ago, overdue after 6 h).
  f('h5-partial-overdue-omitted', 'partial', 'overdue-omitted', [
    s(
      'The latest set, recorded {news2.latest.hoursAgo}, is incomplete, as temperature and consciousness were not recorded, giving a partial NEWS2 of 2.',
    ),
    s('Within that set, saturations of 95% and a heart rate of 96 each score one point.'),
    s('Two doses of Paracetamol were missed.'),
  ]),
  // False: "the latest full set of observations" — the 9 h set is partial (temperature and consciousness not recorded).
  f('h5-partial-as-complete', 'partial', 'partial-as-complete', [
    s(
      'The NEWS2 of 2 from the latest full set of observations, nine hours ago, is in the low-risk band, with saturations of 95% and a heart rate of 96 each scoring one point.',
    ),
    s('Observations are now overdue, as they are due at least every six hours.'),
    s('Two doses of Paracetamol were missed.'),
  ]),

  // ===== rejected =====
  // True: latest 1 h ago SpO2 250 rejected as impossible, partial NEWS2 0; RR 18, BP 136/82, HR 78, T 37.1 all score 0; Amlodipine 7 of 7.
  t('h5-rejected-prose', 'rejected', 'prose', [
    s(
      'The latest observation set, taken {news2.latest.hoursAgo}, included an SpO2 of 250%, which is impossible and was rejected, so the NEWS2 of 0 is partial and does not include oxygen saturation.',
    ),
    s('The remaining values — respiratory rate 18, blood pressure 136/82 mmHg, heart rate 78 and temperature 37.1 °C — do not score.'),
    s('It would be worth repeating the saturation measurement.'),
    s('All seven doses of Amlodipine were given.'),
  ]),
  // True: SpO2 250 rejected at the 1 h set, partial NEWS2 0; complete sets at 37, 25, 13 h scored 0; temperature 60 °C at 50 h rejected as impossible.
  t('h5-rejected-earlier', 'rejected', 'prose-comparison', [
    s('At the latest set, one hour ago, an SpO2 of 250% was rejected as impossible, which leaves a partial NEWS2 of 0.'),
    s('The complete sets 37, 25 and 13 hours ago all scored 0.'),
    s('Of note, a temperature of 60 °C charted 50 hours ago was also rejected as impossible.'),
    s('Please repeat the SpO2.'),
  ]),
  // True: SpO2 250 at 1 h rejected as impossible; partial NEWS2 0, low band; other values score 0; adherence 100%.
  t('h5-rejected-short', 'rejected', 'prose-closing', [
    s(
      'Of note, the SpO2 of 250% charted {news2.latest.hoursAgo} was rejected as impossible, so the NEWS2 of 0 is a partial score in the low-risk band.',
    ),
    s('The other observations do not score, and medication adherence is 100%.'),
    s('In short, the priority is a repeat saturation reading to complete the set.'),
  ]),
  // False: "saturations of 250%" presented as a reading — it was rejected as impossible (and the NEWS2 is therefore partial).
  f('h5-rejected-as-reading', 'rejected', 'rejected-as-reading', [
    s(
      'The latest set, {news2.latest.hoursAgo}, shows a respiratory rate of 18, saturations of 250%, blood pressure 136/82 mmHg, a heart rate of 78 and a temperature of 37.1 °C.',
    ),
    s('This gives a NEWS2 of 0, which is in the low-risk band.'),
    s('All doses of Amlodipine were given.'),
  ]),
  // False: "saturations are 97% on air" — 97% is the 13 h set's value; the latest SpO2 was rejected (null).
  f('h5-rejected-stale-spo2', 'rejected', 'earlier-set-as-current', [
    s('At the latest set, one hour ago, an SpO2 of 250% was rejected as impossible.'),
    s('On repeat, saturations are 97% on air, so the NEWS2 is 0 and the patient remains in the low-risk band.'),
    s('All seven doses of Amlodipine were given.'),
  ]),

  // ===== improving =====
  // True: scores 9 @60 h (high), 7, 5, 3, 1, 1 @3 h; latest 1 low from HR 92 (+1); SpO2 89 on air, scale 2, scores 0; 4–6-hourly; all doses given.
  t('h5-improving-prose', 'improving', 'prose', [
    s(
      'The patient has improved steadily, with NEWS2 falling from a peak of 9 (high risk) 60 hours ago through 7, 5 and 3 to 1 at each of the last two sets, most recently {news2.latest.hoursAgo}.',
    ),
    s('The current score of 1 is in the low-risk band and comes from a heart rate of 92 alone.'),
    s('Saturations of 89% on room air do not score on SpO2 scale 2, which is the scale in use.'),
    s('Per NEWS2, the registered nurse should assess and decide on the monitoring frequency, at a minimum every 4–6 hours.'),
    s('All doses of Apixaban and Prednisolone were given.'),
  ]),
  // True: NEWS2 1 low, down from 9 @60 h, trend falling; at 60 h on oxygen, RR 26, SpO2 84; now on air, SpO2 89 (scale 2), RR 19; 100% adherence.
  t('h5-improving-comparison', 'improving', 'prose-comparison', [
    s('The NEWS2 is now 1, in the low-risk band, down from 9 at the peak 60 hours ago, and the trend is falling.'),
    s(
      'At that peak the patient was on oxygen with a respiratory rate of 26 and saturations of 84%, whereas now the patient is on room air with SpO2 {vitals.latest.spo2} on scale 2 and a respiratory rate of 19.',
    ),
    s('Adherence to Apixaban and Prednisolone has been 100%.'),
  ]),
  // False: "SpO2 scale 1" — this patient is scored on SpO2 scale 2.
  f('h5-improving-wrong-scale', 'improving', 'wrong-spo2-scale', [
    s(
      'The latest NEWS2 is 1 (low risk), recorded {news2.latest.hoursAgo}, down from a peak of 9 sixty hours ago, and the trend is falling.',
    ),
    s('Saturations are 89% on room air, assessed on SpO2 scale 1, and the single point comes from a heart rate of 92.'),
    s('All medicines were given as prescribed.'),
  ]),
  // False: "the trend is now stable" — the trend direction is falling.
  f('h5-improving-trend-word', 'improving', 'wrong-trend-word', [
    s('The NEWS2 has come down from a peak of 9 (high risk) 60 hours ago to 1, in the low-risk band.'),
    s('The trend is now stable, with a score of 1 at each of the last two sets, the most recent {news2.latest.hoursAgo}.'),
    s('Saturations are 89% on air on SpO2 scale 2, and all doses of Apixaban and Prednisolone were given.'),
  ]),
  // False: "recorded three days ago" — the latest set was 3 hours ago.
  f('h5-improving-hours-days', 'improving', 'hours-vs-days', [
    s(
      'The NEWS2 has fallen from a peak of 9 (high risk) 60 hours ago to 1 at the latest set, recorded three days ago, and the trend is falling.',
    ),
    s('The patient is now on room air with saturations of 89% on SpO2 scale 2 and a heart rate of 92.'),
    s('All doses of Apixaban and Prednisolone were given.'),
  ]),

  // ===== insulin =====
  // True: NEWS2 2 low 2 h ago, SpO2 95 (+1), HR 92 (+1); Insulin aspart last 3 refused, 18 of 21 given; Levetiracetam 1 missed, 13 of 14.
  t('h5-insulin-prose', 'insulin', 'prose', [
    s(
      "The patient's NEWS2 is 2, recorded {news2.latest.hoursAgo}, which is in the low-risk band, with single points from SpO2 {vitals.latest.spo2} and a heart rate of 92.",
    ),
    s(
      'The main concern is medication: the last three doses of Insulin aspart were refused, so eighteen of its twenty-one due doses have been given.',
    ),
    s('In addition, one dose of Levetiracetam, an antiepileptic, was missed (13 of 14 given).'),
  ]),
  // True: NEWS2 2 low @2 h, same as 2 @8 h, stable; aspart refused at each of last 3; Levetiracetam 1 missed; Paracetamol 28 of 28; overall 94%; 4–6-hourly.
  t('h5-insulin-comparison', 'insulin', 'prose-comparison', [
    s('The NEWS2 is 2 (low risk) at the latest set two hours ago, the same as at the set eight hours ago, and the trend is stable.'),
    s('Of note, Insulin aspart has been refused at each of the last three doses, and a single dose of Levetiracetam was missed.'),
    s('All 28 doses of Paracetamol were given, and overall adherence is 94%.'),
    s('The NEWS2 response is for the registered nurse to assess and decide on the frequency of observations, at least every 4–6 hours.'),
  ]),
  // True: NEWS2 2 low 2 h ago; RR 18, SpO2 95, BP 122/76, HR 92, T 37.0; aspart 3 refused in a row; Levetiracetam 1 missed.
  t('h5-insulin-closing', 'insulin', 'prose-closing', [
    s(
      'The latest NEWS2 is 2 (low risk), recorded {news2.latest.hoursAgo}, with a respiratory rate of 18, SpO2 {vitals.latest.spo2}, blood pressure 122/76 mmHg, a heart rate of 92 and a temperature of 37.0 °C.',
    ),
    s(
      'Two critical medicines have not been fully given: Insulin aspart, refused three times in a row, and Levetiracetam, with one missed dose.',
    ),
    s('Overall, the observations are low risk, and the insulin refusals are the main issue to follow up.'),
  ]),
  // False: "the last two doses of Insulin aspart" — three were refused (current run 3).
  f('h5-insulin-count-off', 'insulin', 'count-off-by-one', [
    s('The NEWS2 is 2, recorded {news2.latest.hoursAgo}, which is in the low-risk band, and the trend is stable.'),
    s('Of note, the last two doses of Insulin aspart were refused, and one dose of Levetiracetam was missed.'),
  ]),
  // False: leaves out Levetiracetam (critical), 1 dose missed.
  f('h5-insulin-omitted-critical', 'insulin', 'omitted-critical-med', [
    s(
      'The latest NEWS2 is 2, recorded {news2.latest.hoursAgo}, which is in the low-risk band, with SpO2 {vitals.latest.spo2} and a heart rate of 92 each scoring one point.',
    ),
    s('It is worth noting that the last three doses of Insulin aspart were refused.'),
    s('All 28 doses of Paracetamol were given.'),
  ]),
];
