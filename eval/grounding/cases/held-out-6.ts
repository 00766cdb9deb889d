// Sixth held-out set: written 2026-12-01 without reading the checker's rules or the other sets (mixed styles); run once.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut6: EvalCase[] = [
  // ===== high =====
  // True: NEWS2 8 high 2 h ago, rising; sub-scores RR 24 +2, oxygen +2, SpO2 94 +1, pulse 104 +1, SBP 108 +1, temp 38.4 +1; Apixaban 2 of 14 missed (last 2), 0 refused; continuous monitoring.
  t('h6-high-status', 'high', 'gemini-headed', [
    s('Status: NEWS2 8 (high risk) at the set 2 hours ago, and the trend is rising.'),
    s(
      'Key issues: respiratory rate 24/min (+2), on supplemental oxygen (+2) with SpO2 94 % (+1), pulse 104/min (+1), systolic BP 108 mmHg (+1), temperature 38.4°C (+1).',
    ),
    s('Medications: the last two Apixaban doses were missed (2 of 14 due); no doses of it were refused.'),
    s('Plan: per NEWS2, inform the medical team immediately for emergency assessment and monitor continuously.'),
  ]),
  // True: latest total 8, band high, 2 h ago, trend rising; RR 24, SpO2 94 on oxygen, HR 104, temp 38.4; Apixaban (meds.0) 2 missed, current run 2.
  t('h6-high-refs', 'high', 'references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, and rising.'),
    s('{vitals.latest.respiratoryRate}, {vitals.latest.spo2} on oxygen, {vitals.latest.heartRate} and {vitals.latest.temperatureC}.'),
    s('Apixaban: {adherence.meds.0.missed} (the two most recent doses).'),
    s('Medical team to be informed immediately; continuous monitoring.'),
  ]),
  // True: scores 4@22 h, 6@10 h, 8@2 h (high); RR +2 and oxygen +2; Apixaban the only critical medicine not taken, last 2 missed; emergency assessment, continuous.
  t('h6-high-prose', 'high', 'claude-prose', [
    s(
      'The patient has deteriorated steadily: NEWS2 was 4 twenty-two hours ago, 6 ten hours ago and eight at the latest set, 2 hours ago, which is high risk.',
    ),
    s('Breathing accounts for much of it: a respiratory rate of 24/min and the need for supplemental oxygen score 2 points each.'),
    s('The two most recent doses of Apixaban were missed; nothing else critical was missed or refused.'),
    s('The NEWS2 response is immediate escalation to the medical team for emergency assessment, with continuous monitoring.'),
  ]),
  // False: "SpO2 94% ... score 2, plus one point for supplemental oxygen" swaps the sub-scores: SpO2 scores 1 and air/oxygen scores 2.
  f('h6-high-subscore-swap', 'high', 'sub-score on the wrong parameter', [
    s('Since the last handover NEWS2 has risen from 6 (10 h ago) to 8, high risk, at the set 2 h ago.'),
    s('Respiratory rate 24/min and SpO2 94% each score 2, plus one point for supplemental oxygen.'),
    s('Pulse 104/min, systolic BP 108 mmHg and temperature 38.4 °C add a point each.'),
    s('Apixaban: 2 doses missed in a row, the most recent ones; medical team to be told immediately, continuous monitoring.'),
  ]),
  // False: "an earlier set recorded SpO2 89% on air" comes from the escalation note; no charted set had 89% (earlier sets were 94-96% on air).
  f('h6-high-note-as-obs', 'high', 'note content as an observation', [
    s(
      'NEWS2 8 (high) 2 h ago and rising; an earlier set recorded SpO2 89% on air, now 94% on oxygen; Apixaban last 2 doses missed, so escalate immediately with continuous obs.',
    ),
  ]),
  // False: "Trend: improving" contradicts news2.trend.direction rising (mean 7 against 2).
  f('h6-high-improving', 'high', 'improving for a rising patient', [
    s('Status: NEWS2 8, high risk, 2 hours ago.'),
    s('Trend: improving, now on oxygen with SpO2 94%.'),
    s('Medications: Apixaban, last 2 of 14 doses missed.'),
    s('Plan: inform the medical team immediately for emergency assessment; continuous monitoring.'),
  ]),

  // ===== normal =====
  // True: NEWS2 0 low 3 h ago, every sub-score 0; 28 of 28 doses given (100%); 12-hourly routine monitoring.
  t('h6-normal-oneliner', 'normal', 'gpt-oneliner', [
    s('NEWS2 0 (low risk) 3 h ago with no parameter scoring; all 28 doses given (100%); routine 12-hourly obs.'),
  ]),
  // True: total 0, band low, 3 h ago; three sets all 0; RR 16, SpO2 98 on air, SBP 126, HR 72, temp 36.8; adherence 100%, 0 missed, 0 refused.
  t('h6-normal-refs', 'normal', 'references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, the same score on all three sets.'),
    s(
      '{vitals.latest.respiratoryRate}, {vitals.latest.spo2} on air, {vitals.latest.systolicBp}, {vitals.latest.heartRate}, {vitals.latest.temperatureC}.',
    ),
    s('Medication: {adherence.overallPct}, with no doses missed or refused.'),
  ]),
  // True: sets 0@27, 0@15, 0@3; values RR 16, SpO2 98 air, BP 126/78, HR 72, temp 36.8, alert, all scoring 0; Amoxicillin 21/21, Furosemide 7/7; 12-hourly.
  t('h6-normal-shift', 'normal', 'since-last-shift', [
    s('Since the last handover nothing has changed: the set 3 hours ago scored NEWS2 0, as did the sets 15 and 27 hours ago.'),
    s('None of the latest values scored: respiratory rate 16, SpO2 98% on air, BP 126/78 mmHg, heart rate 72, temperature 36.8 °C, alert.'),
    s('All 21 Amoxicillin and 7 Furosemide doses were given; routine 12-hourly monitoring.'),
  ]),
  // False: "3 minutes ago" is off by a factor of 60: the latest set was 3 hours ago.
  f('h6-normal-minutes', 'normal', 'time unit off by a factor', [
    s('Latest NEWS2 is 0 (low risk), recorded 3 minutes ago.'),
    s('Every dose given (100% adherence); routine monitoring, minimum 12-hourly.'),
  ]),
  // False: "temperature 36.8 °F" gives the right value with the wrong unit (36.8 °C).
  f('h6-normal-fahrenheit', 'normal', 'right value, wrong unit', [
    s('Status: NEWS2 0, low risk, 3 h ago.'),
    s('Vitals: RR 16/min, SpO2 98%, BP 126/78 mmHg, HR 72/min, temperature 36.8 °F.'),
    s('Medications: 28 of 28 doses given.'),
  ]),

  // ===== medium =====
  // True: NEWS2 6 medium 4 h ago; SpO2 88% on air +3, RR 22 +2, pulse 94 +1; sets 5,6,5,6 stable; inform immediately, 1-hourly.
  t('h6-medium-status', 'medium', 'gemini-headed', [
    s('Status: medium-risk NEWS2 of 6 from the set 4 h ago.'),
    s('Key issues: SpO2 88% on air scores 3 on its own; respiratory rate 22/min adds 2 and pulse 94/min adds 1.'),
    s('Trend: stable, the last four sets scoring between 5 and 6.'),
    s('Plan: inform the medical team immediately for urgent assessment; observations at least hourly.'),
  ]),
  // True: total 6, band medium, 4 h ago; SpO2 88 on air scores 3; RR 22 and HR 94 score; Levetiracetam 14/14, Enoxaparin 7/7; urgent, 1-hourly.
  t('h6-medium-refs', 'medium', 'references', [
    s('Latest {news2.latest.total}, {news2.latest.band} risk, {news2.latest.hoursAgo}, with {vitals.latest.spo2} on air scoring 3.'),
    s('{vitals.latest.respiratoryRate} and {vitals.latest.heartRate} also score.'),
    s('All Levetiracetam and Enoxaparin doses given.'),
    s('Urgent review by the medical team; monitor at least 1-hourly.'),
  ]),
  // True: six (medium) 4 h ago; only SpO2 scores 3 (88% on air); sets 5@40, 6@28, 5@16, 6@4, stable; 0 missed, 0 refused; immediate, hourly.
  t('h6-medium-prose', 'medium', 'claude-prose-passive', [
    s(
      'A NEWS2 score of six (medium risk) was recorded four hours ago, and the single red parameter is oxygen saturation: 88% on room air, worth 3 points.',
    ),
    s('The score has been stable, sitting at 5 or 6 on every set over the past 40 hours.'),
    s('No doses of either medicine were missed or refused.'),
    s('The medical team should be informed immediately for urgent assessment, with at least hourly observations.'),
  ]),
  // False: "SpO2 89% ... pulse 96/min" are the 28 h set's values given as the latest (latest SpO2 88%, heart rate 94/min).
  f('h6-medium-earlier-set', 'medium', "earlier set's values as current", [
    s('Latest NEWS2 6 (medium) 4 h ago: SpO2 89% on air (+3), respiratory rate 22/min (+2), pulse 96/min (+1).'),
    s('Trend stable; inform the medical team immediately, at least hourly obs.'),
  ]),
  // False: "no call to the medical team is needed ... routine ward observations" breaks the response: inform the medical team immediately, 1-hourly.
  f('h6-medium-soft', 'medium', 'false reassurance in soft words', [
    s('NEWS2 6, medium risk, 4 hours ago, with SpO2 88% on air scoring 3.'),
    s(
      'It has been stable at 5 to 6 for 40 hours, so the patient can be managed with routine ward observations and no call to the medical team is needed.',
    ),
  ]),

  // ===== red =====
  // True: NEWS2 3 low-medium 1.5 h ago, only SBP 88 +3; Insulin glargine 2 refused, last 2 in a row, 5 of 7 given; inform team, 1-hourly.
  t('h6-red-oneliner', 'red', 'gpt-oneliner', [
    s(
      'NEWS2 3 (low-medium) 1.5 h ago, all from systolic BP 88 mmHg scoring 3; Insulin glargine refused for the last 2 doses (5 of 7 given); inform medical team, obs at least 1-hourly.',
    ),
  ]),
  // True: band low-medium, total 3, 1.5 h ago; SBP 88 +3, all other sub-scores 0; glargine last 2 refused; Metformin 14/14; inform team, who decide; 1-hourly.
  t('h6-red-status', 'red', 'gemini-headed', [
    s('Status: low-medium risk, NEWS2 3, 1.5 hours ago.'),
    s('Key issue: a red score, systolic 88 mmHg (3 points); nothing else scored.'),
    s('Medications: Insulin glargine refused twice, the two most recent doses; Metformin all 14 given.'),
    s('Plan: inform the medical team, who decide on escalation; monitoring at least 1-hourly.'),
  ]),
  // True: total 3, band low-medium, 1.5 h ago; SBP 88 scores 3; glargine (meds.0) 2 refused, run 2; 1-hourly.
  t('h6-red-refs', 'red', 'references', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, because {vitals.latest.systolicBp} scores 3 on its own.',
    ),
    s('Insulin glargine: {adherence.meds.0.refused}, the last two in a row.'),
    s('Inform the medical team; at least hourly observations.'),
  ]),
  // False: "refused once ... (6 of 7 given)" understates the run: glargine refused 2, the last 2 in a row, 5 of 7 given.
  f('h6-red-understated', 'red', 'understated run of refused critical doses', [
    s('NEWS2 3 (low-medium risk) 1.5 h ago because systolic BP of 88 mmHg scores 3.'),
    s('Insulin glargine was refused once, at the most recent dose (6 of 7 given).'),
    s('Medical team to be informed; at least 1-hourly obs.'),
  ]),
  // False: "adherence 90%" is the overall figure given as Insulin glargine's; glargine's is 71%.
  f('h6-red-wrong-pct', 'red', "another figure's percentage for the medicine", [
    s('Since the last handover systolic BP has dropped to 88 mmHg, scoring 3 and giving NEWS2 3 (low-medium) 1.5 h ago.'),
    s('Insulin glargine has been refused for the last two doses, adherence 90%.'),
    s('Inform the medical team; observations at least every hour.'),
  ]),

  // ===== partial =====
  // True: latest 9 h ago partial 2, missing consciousness and temperature; overdue after 6 h; SpO2 95 +1, pulse 96 +1, RR 20 and SBP 114 score 0; Paracetamol 2 missed, Amoxicillin 15/15.
  t('h6-partial-status', 'partial', 'gemini-headed', [
    s('Status: partial NEWS2 of 2 from an incomplete set 9 hours ago; consciousness and temperature were not recorded.'),
    s('Key issue: observations are overdue (due after 6 hours).'),
    s('Scored: SpO2 95% (+1) and pulse 96/min (+1); respiratory rate 20/min and systolic BP 114 mmHg scored 0.'),
    s('Medications: Paracetamol 2 doses missed; Amoxicillin all given.'),
  ]),
  // True: 9 h ago, partial, missing consciousness and temperature, total 2; overdue (9 h against 6); SpO2 95, HR 96, RR 20; Paracetamol (meds.0) 2 missed.
  t('h6-partial-refs', 'partial', 'references', [
    s('The latest set, {news2.latest.hoursAgo}, is partial (no consciousness or temperature recorded): partial {news2.latest.total}.'),
    s('Observations are overdue: the last set was 9 hours ago and they were due after 6.'),
    s('{vitals.latest.spo2}, {vitals.latest.heartRate}, {vitals.latest.respiratoryRate}.'),
    s('Paracetamol: {adherence.meds.0.missed}.'),
  ]),
  // True: nine hours ago, temperature and consciousness missing, partial 2; overdue after 6 h; Paracetamol 2 missed; no critical medicines in this scenario.
  t('h6-partial-prose', 'partial', 'claude-prose', [
    s(
      'The most recent observations, taken nine hours ago, are incomplete: temperature and level of consciousness were not charted, so the NEWS2 of 2 is only partial.',
    ),
    s('They are also overdue, since a set was due after six hours.'),
    s('Two Paracetamol doses were missed; no critical medicines were missed or refused.'),
  ]),
  // False: "respiratory rate and temperature not recorded" names the wrong missing parameter: consciousness and temperature are missing, RR 20 was charted.
  f('h6-partial-wrong-missing', 'partial', 'partial score with the wrong missing parameter', [
    s('Latest set 9 h ago is partial, with respiratory rate and temperature not recorded: partial NEWS2 2.'),
    s('Observations overdue (due after 6 h).'),
    s('Paracetamol: 2 missed.'),
  ]),
  // False: "Amoxicillin, 2 doses missed" gives Paracetamol's count to the wrong medicine (Amoxicillin 15 of 15 given).
  f('h6-partial-wrong-med', 'partial', 'missed count on the wrong medicine', [
    s('Status: incomplete set 9 hours ago (consciousness and temperature missing), partial NEWS2 2.'),
    s('Observations are overdue: due after 6 h.'),
    s('Medications: Amoxicillin, 2 doses missed.'),
  ]),

  // ===== rejected =====
  // True: latest 1 h ago partial 0; SpO2 250% rejected (out of range); RR 18, BP 136/82, HR 78, temp 37.1 all scoring 0; temperature 60 °C rejected 50 h ago.
  t('h6-rejected-status', 'rejected', 'gemini-headed', [
    s('Status: partial NEWS2 of 0 from the set 1 hour ago.'),
    s('Key issue: an SpO2 of 250% was rejected as impossible, so oxygen saturation is not scored; please repeat it.'),
    s('The rest scored 0: respiratory rate 18/min, BP 136/82 mmHg, heart rate 78/min, temperature 37.1 °C.'),
    s('Earlier, a temperature of 60 °C, 50 hours ago, was also rejected as impossible.'),
  ]),
  // True: total 0, 1 h ago, partial; SpO2 250 rejected; RR 18, SBP 136, HR 78, temp 37.1; Amlodipine 7/7.
  t('h6-rejected-refs', 'rejected', 'references', [
    s(
      'Latest {news2.latest.total}, {news2.latest.hoursAgo}, is partial: the SpO2 value of 250% was rejected as impossible and not scored.',
    ),
    s('{vitals.latest.respiratoryRate}, {vitals.latest.systolicBp}, {vitals.latest.heartRate}, {vitals.latest.temperatureC}.'),
    s('All 7 Amlodipine doses given.'),
  ]),
  // False: "an impossible pulse of 250/min" puts the rejection on the wrong parameter: the rejected value is SpO2 250%; pulse was 78/min.
  f('h6-rejected-wrong-field', 'rejected', 'rejected value on the wrong parameter', [
    s('The latest set, 1 h ago, recorded an impossible pulse of 250/min, which was rejected, so its NEWS2 of 0 is partial.'),
    s('Respiratory rate 18/min, BP 136/82 mmHg, temperature 37.1 °C.'),
  ]),
  // False: "repeated at 97% on air, so the NEWS2 of 0 is complete": no repeat was charted; the latest set is partial.
  f('h6-rejected-invented-repeat', 'rejected', 'invented re-check', [
    s('The SpO2 of 250% at the set 1 h ago was rejected as impossible; it was repeated at 97% on air, so the NEWS2 of 0 is complete.'),
    s('Amlodipine: all doses given.'),
  ]),
  // False: "NEWS2 0 for over three days": sets only go back 50 h; no score exists beyond that.
  f('h6-rejected-over', 'rejected', "false 'over' hedge", [
    s('NEWS2 0 for over three days; the latest set, 1 h ago, is partial because an SpO2 of 250% was rejected as impossible.'),
    s('Other values: respiratory rate 18/min, systolic BP 136 mmHg, heart rate 78/min, temperature 37.1 °C.'),
  ]),

  // ===== improving =====
  // True: max 9 high 60 h ago, latest 1 low 3 h ago; only pulse 92 scores (+1); SpO2 89% on air scale 2 scores 0; Apixaban 14/14, Prednisolone 7/7.
  t('h6-improving-shift', 'improving', 'since-last-shift', [
    s('Over the last 60 hours NEWS2 has fallen from 9 (high risk) to 1 (low risk) at the set 3 hours ago.'),
    s('The only point left is pulse 92/min; SpO2 89% on air scores 0 on scale 2.'),
    s('All Apixaban and Prednisolone doses were given.'),
  ]),
  // True: latest 1 low 3 h ago; max 9 60 h ago; falling; SpO2 89 on air, scale 2, HR 92, RR 19; 0 missed, 0 refused.
  t('h6-improving-refs', 'improving', 'references', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, falling from a peak of {news2.max.total} {news2.max.hoursAgo}.',
    ),
    s('{vitals.latest.spo2} on air (SpO2 scale 2), {vitals.latest.heartRate}, {vitals.latest.respiratoryRate}.'),
    s('No missed or refused doses.'),
  ]),
  // True: scores 9@60, 7@48, 5@36, 3@24, 1@12, 1@3; max set RR 26 +3, SpO2 84% on oxygen; latest RR 19 on air; trend falling; latest band low.
  t('h6-improving-prose', 'improving', 'claude-prose', [
    s(
      'The patient has improved steadily: the score came down from nine sixty hours ago through 7, 5 and 3 to 1 on each of the last two sets (12 and 3 hours ago).',
    ),
    s('At its worst the respiratory rate was 26/min, scoring 3, with SpO2 84% on oxygen; now it is 19/min and the patient is on air.'),
    s('The trend is falling and the latest set is low risk.'),
  ]),
  // False: "5 (high risk) 36 h ago": a score of 5 is medium; high belongs to the 9 and 7 sets (60 and 48 h ago).
  f('h6-improving-band-wrong-set', 'improving', 'band on the wrong set', [
    s('NEWS2 is now 1 (low risk) 3 h ago, down from 5 (high risk) 36 h ago and 9 at 60 h.'),
    s('Falling trend; pulse 92/min is the only parameter scoring.'),
  ]),
  // False: "SpO2 89% on oxygen": the latest set is on air (oxygen was at the 60-36 h sets).
  f('h6-improving-on-oxygen', 'improving', 'air/oxygen from an earlier set', [
    s('Status: NEWS2 1, low risk, 3 hours ago, falling from 9 (high) 60 hours ago.'),
    s('Vitals: SpO2 89% on oxygen (scale 2), respiratory rate 19/min, pulse 92/min.'),
    s('Medications: all given.'),
  ]),

  // ===== insulin =====
  // True: NEWS2 2 low 2 h ago, stable; SpO2 95 +1, pulse 92 +1; Insulin aspart 3 refused (last 3), 18/21; Levetiracetam 1 missed, 13/14; 4-6-hourly.
  t('h6-insulin-status', 'insulin', 'gemini-headed', [
    s('Status: NEWS2 2 (low risk) 2 hours ago, stable; SpO2 95% and pulse 92/min score 1 each.'),
    s('Key issues: Insulin aspart refused at the last three doses (18 of 21 given), and one Levetiracetam dose missed (13 of 14 given).'),
    s('Plan: RN to assess and decide on monitoring frequency; minimum 4–6-hourly.'),
  ]),
  // True: total 2, band low, 2 h ago; Insulin aspart (meds.0) 3 refused, current run 3; Levetiracetam (meds.1) 1 missed; Paracetamol 28/28.
  t('h6-insulin-refs', 'insulin', 'references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.'),
    s('Insulin aspart: {adherence.meds.0.refused}, three in a row up to the latest dose.'),
    s('Levetiracetam: {adherence.meds.1.missed}; no Paracetamol doses missed.'),
  ]),
  // False: leaves out Levetiracetam, a critical medicine with 1 missed dose (criticalMissed lists both).
  f('h6-insulin-omit-lev', 'insulin', 'one of two critical medicines omitted', [
    s('NEWS2 2 (low risk) 2 h ago, stable.'),
    s('Insulin aspart refused for the last 3 doses (18 of 21 given); overall adherence 94%.'),
  ]),
  // False: "At least four Insulin aspart doses have been refused": 3 were refused.
  f('h6-insulin-at-least', 'insulin', "false 'at least' hedge", [
    s('Low-risk NEWS2 of 2 from the set 2 hours ago.'),
    s('At least four Insulin aspart doses have been refused, all recent, and one Levetiracetam dose was missed.'),
  ]),
  // False: "the most recent dose was missed" for Levetiracetam: its current missed run is 0 (the one missed dose was earlier).
  f('h6-insulin-lev-last', 'insulin', 'missed dose placed as the most recent', [
    s('NEWS2 2, low risk, 2 h ago; Insulin aspart refused for the last 3 doses.'),
    s('Levetiracetam: the most recent dose was missed (1 of 14).'),
  ]),
];
