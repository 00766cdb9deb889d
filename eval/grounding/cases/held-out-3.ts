// Third held-out set: written 2026-12-01 without reading the checker's rules or the other sets; run once.
// Every case was checked by hand against `npx tsx eval/grounding/print-facts.ts` (the scenarios' facts).
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut3: EvalCase[] = [
  // ===== high: NEWS2 8 (high) 2 h ago, rising (0@70 0@46 4@22 6@10 8@2); RR 24, SpO2 94% on O2, BP 108/70, HR 104, T 38.4, A;
  // continuous monitoring, emergency assessment; Apixaban (critical) 2 of 14 missed, the last 2 in a row; notes flag fall, pain, escalation.

  // --- true ---
  // Rests on: latest 8 high 2 h ago; score 6 at 10 h; trend rising; latest values; Apixaban missed 2 (12/14), run 2; response.
  t('h3-high-sbar', 'high', 'SBAR-style', [
    s('Deteriorating — NEWS2 8 (high risk) at the latest set 2 h ago, up from 6 ten hours ago; trend rising.'),
    s('RR 24, sats 94% on supplemental O2, BP 108/70, HR 104, T 38.4 °C, alert.'),
    s('Apixaban (anticoagulant): last 2 doses missed — 12 of 14 given.'),
    s('Per NEWS2: inform the medical team immediately (registrar or above) for emergency assessment; continuous monitoring.'),
  ]),
  // Rests on: news2.latest total/band/hoursAgo, trend rising, vitals.latest, adherence.meds.0 (missed 2, current run 2), response.
  t('h3-high-refs', 'high', 'references', [
    s(
      '{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; the trend is {news2.trend.direction}.',
      'news2.latest',
      'news2.trend',
    ),
    s(
      'Latest obs: {vitals.latest.respiratoryRate}, {vitals.latest.spo2} on oxygen, {vitals.latest.heartRate}, {vitals.latest.systolicBp}, {vitals.latest.temperatureC}.',
      'vitals.latest',
    ),
    s('Apixaban: {adherence.meds.0.missed} doses missed, the last two in a row.', 'adherence.meds.0'),
    s('Escalation per NEWS2: medical team to be informed immediately, emergency assessment, continuous monitoring, consider HDU/ICU.'),
  ]),
  // Rests on: scores 0@46 … 8@2 (0 → 8 within 48 h), latest 2 h ago, high, on oxygen, SpO2 94, RR 24, T 38.4; Apixaban last 2 missed; note flag "fall".
  t('h3-high-hedged', 'high', 'hedged, mentions a note flag', [
    s('Looks to be deteriorating: NEWS2 has climbed from 0 to 8 (high risk) over the past 48 hours, the latest set two hours ago.'),
    s('Now on oxygen: SpO2 94%, RR 24, T 38.4 °C.'),
    s('Apixaban missed x2 (the last two doses).'),
    s('Care notes flag a fall.'),
    s('Needs emergency assessment — medical team to be informed immediately; continuous obs.'),
  ]),

  // --- false ---
  // False: "no escalation needed … continue 4-hourly obs" and "clinically stable": response is "RN informs medical team immediately …
  // emergency assessment", minimumMonitoring "continuous", trend "rising" (band high not said either).
  f('h3-high-reassure', 'high', 'false reassurance', [
    s('NEWS2 8 on the latest set 2 h ago; RR 24, SpO2 94% on O2, HR 104, T 38.4 °C.'),
    s('Clinically stable on oxygen — no escalation needed at present; continue 4-hourly obs.'),
    s('Apixaban: last 2 doses missed.'),
  ]),
  // False: "sats 89% on air" is the medical note's number ("SpO2 89% on air at 04:00"); the latest measured SpO2 is 94% on oxygen.
  f('h3-high-note-value', 'high', 'care-note number as a measurement', [
    s('NEWS2 8 (high risk), 2 h ago, rising.'),
    s('Sats 89% on air, RR 24, HR 104, T 38.4 °C.'),
    s('Apixaban missed ×2 (most recent doses).'),
    s('Inform the medical team immediately for emergency assessment; continuous monitoring.'),
  ]),
  // False by omission: Apixaban (critical anticoagulant) "2 missed, the last 2 in a row" is not mentioned; only Paracetamol's 1 refusal is.
  f('h3-high-omit-anticoag', 'high', 'omission: missed anticoagulant', [
    s('NEWS2 8 — high risk — at the set 2 h ago; trend rising.'),
    s('RR 24, SpO2 94% on supplemental oxygen, BP 108/70, HR 104, T 38.4 °C.'),
    s('Emergency assessment needed: medical team to be informed immediately, continuous monitoring.'),
    s('Paracetamol: one dose refused.'),
  ]),

  // ===== normal: NEWS2 0 (low) 3 h ago, 0 at all 3 sets, stable; RR 16, SpO2 98, BP 126/78, HR 72, T 36.8, A; 12-hourly; 28/28 doses (100%).

  // --- true ---
  // Rests on: latest 0 low 3 h ago; latest values; scores 0@27 0@15 0@3; response routine / 12-hourly; Amoxicillin 21/21, Furosemide 7/7.
  t('h3-normal-brief', 'normal', 'brief', [
    s('Low risk: NEWS2 0 on the set 3 h ago — RR 16, SpO2 98% on air, BP 126/78, HR 72, T 36.8 °C, alert.'),
    s('NEWS2 has been 0 at all three sets; routine 12-hourly monitoring.'),
    s('All 28 due doses given (amoxicillin 21/21, furosemide 7/7).'),
  ]),
  // Rests on: news2.latest total/band/hoursAgo, trend stable, adherence.overallPct 100 (0 missed, 0 refused), response 12-hourly.
  t('h3-normal-refs', 'normal', 'references', [
    s('{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.'),
    s('Adherence {adherence.overallPct} — no missed or refused doses.', 'adherence'),
    s('Routine monitoring, minimum 12-hourly.', 'news2.latest.response'),
  ]),

  // --- false ---
  // False: "repeat obs are now overdue": vitals.overdue false (last set 3 h ago, overdue only after 6 h).
  f('h3-normal-overdue', 'normal', 'overdue claimed when not', [
    s('NEWS2 0 (low risk) at the last set, 3 h ago; repeat obs are now overdue.'),
    s('All doses given.'),
  ]),
  // False: "T 36.8 °F": the temperature is 36.8 °C (unit error).
  f('h3-normal-unit', 'normal', 'unit error (°F for °C)', [
    s('NEWS2 0, low risk, 3 h ago: RR 16, sats 98%, HR 72, BP 126/78, T 36.8 °F.'),
    s('Routine 12-hourly obs; all meds given.'),
  ]),

  // ===== medium: NEWS2 6 (medium) 4 h ago, SpO2 88% on air scores 3 (anySingleThree), RR 22 (+2), HR 94 (+1), BP 132/80, T 37.4, A;
  // stable (5@40 6@28 5@16 6@4); inform medical team immediately, urgent assessment, 1-hourly; Levetiracetam 14/14, Enoxaparin 7/7.

  // --- true ---
  // Rests on: latest 6 medium 4 h ago, SpO2 88 air scoring 3, latest values, scores 5–6 at all four sets (40 h), trend stable,
  // response, 100% adherence. Raw text, not the JSON shape: it needs the repair turn whatever the checker does.
  t(
    'h3-medium-raw',
    'medium',
    'markdown, not JSON',
    '**Handover summary**\n\n' +
      '- **NEWS2 6 (medium risk)** at the set 4 h ago; SpO2 88% on room air scores 3 on its own.\n' +
      '- RR 22, HR 94, BP 132/80, T 37.4 °C, alert.\n' +
      '- Score has stayed at 5–6 at every set over the past ~40 h (trend stable).\n' +
      '- Inform the medical team now for urgent assessment; obs at least hourly.\n' +
      '- All doses given, including levetiracetam and enoxaparin.',
  ),
  // Rests on: band medium, total 6, hoursAgo 4, subScores spo2 3 / RR 2 / pulse 1, trend stable, scores 5,6,5,6, response, meds 100%.
  t('h3-medium-bullets', 'medium', 'bullets, abbreviations', [
    s('Medium risk — NEWS2 6 ({news2.latest.hoursAgo}), with one red parameter: sats 88% on air (scores 3).'),
    s('Also scoring: RR 22 (+2), HR 94 (+1).'),
    s('Trend stable (5–6 across all four sets).'),
    s('Medical team to be informed immediately for urgent assessment; obs q1h minimum.'),
    s('Levetiracetam and enoxaparin: all doses given.'),
  ]),

  // --- false ---
  // False: "SpO2 94%" and "HR 88" swap the latest values (SpO2 88%, HR 94/min).
  f('h3-medium-swap', 'medium', 'swapped values', [
    s('NEWS2 6 (medium risk), 4 h ago — SpO2 94% on air, scoring 3, with RR 22 and HR 88.'),
    s('Inform the medical team immediately for urgent assessment; at least hourly obs.'),
  ]),
  // False: "high risk": the band is "medium" (total 6).
  f('h3-medium-band', 'medium', 'wrong band', [
    s('NEWS2 6 — high risk — on the set 4 h ago, driven by SpO2 88% on air (scores 3), RR 22 and HR 94.'),
    s('Stable over the last day and a half.'),
    s('Medical team to be informed immediately; hourly obs.'),
  ]),

  // ===== red: NEWS2 3 (low-medium) 1.5 h ago, systolic 88 scores 3 (anySingleThree); BP 88/54, HR 84, RR 16, SpO2 97 air, T 36.9, A;
  // inform medical team, who decide whether to escalate, 1-hourly; Insulin glargine (critical) 2 refused, last 2 in a row, 5/7; Metformin 14/14.

  // --- true ---
  // Rests on: latest 3 low-medium 1.5 h ago, subScores systolicBp 3, latest values, response, Insulin glargine refused 2 (run 2), given 5 of 7.
  t('h3-red-careful', 'red', 'careful, explains the red score', [
    s('Although the total NEWS2 is only 3 (low-medium risk, 90 minutes ago), systolic BP of 88 mmHg scores 3 on its own — a red score.'),
    s('BP 88/54, HR 84, RR 16, SpO2 97% on air, T 36.9 °C, alert.'),
    s('Inform the medical team, who decide whether to escalate; obs at least hourly.'),
    s('Insulin glargine refused x2 — the two most recent doses; 5 of 7 given.'),
  ]),
  // Rests on: news2.latest total/band/hoursAgo, vitals.latest.systolicBp scoring 3, response 1-hourly, adherence.meds.0.refused 2 (run 2), Metformin 14/14.
  t('h3-red-refs', 'red', 'references', [
    s(
      '{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, but {vitals.latest.systolicBp} scores 3 on its own.',
      'news2.latest',
      'vitals.latest.systolicBp',
    ),
    s('Medical team to be informed; minimum 1-hourly monitoring.', 'news2.latest.response'),
    s('Insulin glargine: {adherence.meds.0.refused} doses refused, the last two in a row; metformin all given.', 'adherence.meds'),
  ]),

  // --- false ---
  // False: "obs 15 h ago": the latest set (NEWS2 3, SBP 88) was 1.5 h ago (the set 14 h ago scored 1).
  f('h3-red-time', 'red', 'wrong time', [
    s('NEWS2 3 (low-medium) on the obs 15 h ago, with SBP 88 scoring 3.'),
    s('Medical team to be informed; at least hourly obs.'),
    s('Insulin glargine: last 2 doses refused.'),
  ]),
  // False: "refused x3 — last three doses": Insulin glargine refused 2 (5 of 7 given, current run 2).
  f('h3-red-count', 'red', 'wrong dose count', [
    s('NEWS2 3 (low-medium risk), 1.5 h ago; SBP 88 mmHg scores 3.'),
    s('Inform the medical team, who decide whether to escalate; 1-hourly obs.'),
    s('Insulin glargine refused x3 — last three doses.'),
  ]),
  // False: "low risk … continue 4–6-hourly obs": band "low-medium" because systolic BP 88 scores 3 (not mentioned); minimum monitoring "1-hourly".
  f('h3-red-low', 'red', 'single red parameter missed (called low risk)', [
    s('NEWS2 3, low risk, 1.5 h ago — continue 4–6-hourly obs.'),
    s('Insulin glargine: the last two doses refused.'),
  ]),

  // ===== partial: latest set 9 h ago partial (consciousness, temperature missing), partial NEWS2 2 (at least low); RR 20, SpO2 95 (+1),
  // BP 114/72, HR 96 (+1); overdue (after 6 h, 9 h since); Paracetamol 2 missed (22/24, 92%), Amoxicillin 15/15; overall 95% (37/39).

  // --- true ---
  // Rests on: vitals.overdue true, hoursSinceLastObservation 9, overdueAfterHours 6; partial, missing consciousness+temperature, total 2,
  // band low; latest values; Paracetamol missed 2; Amoxicillin 15/15.
  t('h3-partial-careful', 'partial', 'careful', [
    s('Obs overdue: the last set was 9 h ago and they are due at least every 6 h.'),
    s('That set was incomplete (no temperature or consciousness level recorded), so the NEWS2 of 2 is partial — at least low risk.'),
    s('RR 20, SpO2 95% on air, BP 114/72, HR 96.'),
    s('Paracetamol: 2 doses missed; amoxicillin all given.'),
  ]),
  // Rests on: news2.latest partial total 2, hoursAgo 9, missing temperature + consciousness (ACVPU); vitals overdue 9 h vs 6 h;
  // adherence.meds.0.missed 2; overallPct 95.
  t('h3-partial-refs', 'partial', 'references, hedged', [
    s(
      'Partial {news2.latest.total} from the set {news2.latest.hoursAgo} — temperature and ACVPU were not recorded, so the true score may be higher.',
      'news2.latest',
    ),
    s(
      'Observations are overdue ({vitals.hoursSinceLastObservation} since the last set; due after {vitals.overdueAfterHours}).',
      'vitals.overdue',
      'vitals.hoursSinceLastObservation',
      'vitals.overdueAfterHours',
    ),
    s('Paracetamol {adherence.meds.0.missed} missed; overall adherence {adherence.overallPct}.'),
  ]),

  // --- false ---
  // False: "from a complete set": the latest set is partial (consciousness and temperature not recorded).
  f('h3-partial-complete', 'partial', 'partial score presented as complete', [
    s('NEWS2 2 (low risk) from a complete set 9 h ago: RR 20, SpO2 95%, BP 114/72, HR 96.'),
    s('Obs now overdue (more than 6 h since the last set).'),
    s('Paracetamol: 2 missed doses.'),
  ]),
  // False by omission: observations are overdue ("the last set was 9 h ago (overdue after 6 h)") and this is not said.
  f('h3-partial-omit-overdue', 'partial', 'omission: overdue observations', [
    s('Partial NEWS2 2 on the set 9 h ago — temperature and consciousness not recorded.'),
    s('RR 20, sats 95%, HR 96, BP 114/72.'),
    s('Two paracetamol doses missed; antibiotics all given.'),
  ]),
  // False: "Overall adherence 92%": 92% is Paracetamol's own pct; overall is 95% (37 of 39).
  f('h3-partial-pct', 'partial', 'wrong percentage', [
    s('Incomplete set 9 h ago (temperature and consciousness missing): partial NEWS2 2.'),
    s('Obs overdue — nothing charted for 9 h.'),
    s('Overall adherence 92%, with 2 paracetamol doses missed.'),
  ]),

  // ===== rejected: latest set 1 h ago, SpO2 250 rejected (out of range 50–100), not scored: partial NEWS2 0 (at least low);
  // RR 18, BP 136/82, HR 78, T 37.1, A (each scoring 0); temperature 60 °C rejected 50 h ago; Amlodipine 7/7.

  // --- true ---
  // Rests on: latest hoursAgo 1, rejected spo2 250, subScores spo2 null, partial, total 0; latest values; Amlodipine 7/7.
  t('h3-rejected-careful', 'rejected', 'careful', [
    s(
      'The latest set (1 h ago) recorded SpO2 250%, which was rejected as impossible — sats were not scored, so the NEWS2 of 0 is partial.',
    ),
    s('Remaining obs: RR 18, BP 136/82, HR 78, T 37.1 °C, alert.'),
    s('Please repeat the SpO2.'),
    s('Amlodipine: all 7 doses given.'),
  ]),
  // Rests on: partial total 0, band low, hoursAgo 1, rejected spo2 250; the 50 h set's rejected temperature 60 °C; subScores 0 for the rest.
  t('h3-rejected-both', 'rejected', 'mentions both rejected values', [
    s(
      'Partial NEWS2 of 0 (at least low risk) {news2.latest.hoursAgo}: the SpO2 value of 250% was rejected as impossible and not scored.',
      'news2.latest',
    ),
    s('A temperature of 60 °C charted 50 h ago was also rejected as impossible.'),
    s('The other parameters each scored 0: RR 18, BP 136/82, HR 78, T 37.1 °C.'),
  ]),

  // --- false ---
  // False: "SpO2 250% on air" reported as a reading: it was rejected as impossible, and the NEWS2 of 0 is partial (not said).
  f('h3-rejected-reading', 'rejected', 'impossible value reported as a reading', [
    s('NEWS2 0 (low risk), 1 h ago: SpO2 250% on air, RR 18, BP 136/82, HR 78, T 37.1 °C.'),
    s('Amlodipine all given.'),
  ]),
  // False: "spiked a temperature of 60 °C 50 h ago": that value was "rejected as impossible", not a reading.
  f('h3-rejected-old-temp', 'rejected', 'earlier rejected value reported as a reading', [
    s('Partial NEWS2 0 from the set 1 h ago — the SpO2 of 250% was rejected as impossible.'),
    s('Spiked a temperature of 60 °C 50 h ago; now 37.1 °C.'),
    s('RR 18, BP 136/82, HR 78.'),
  ]),

  // ===== improving: NEWS2 1 (low) 3 h ago; peak 9 (high) 60 h ago (RR 26, SpO2 84 on O2, HR 98); falling (9 7 5 3 1 1);
  // SpO2 scale 2: 89% on air scores 0; HR 92 (+1) the only scoring parameter; RR 19, BP 118/78, T 37.6, A; Apixaban 14/14, Prednisolone 7/7.

  // --- true ---
  // Rests on: news2.max 9 high 60 h; latest 1 low 3 h; trend falling; onOxygen false; spo2 89, scale 2, subScore 0; latest values; 100%.
  t('h3-improving-narr', 'improving', 'narrative', [
    s('Much improved: NEWS2 down from a peak of 9 (high risk) 60 h ago to 1 (low risk) on the latest set 3 h ago — falling trend.'),
    s('Now on room air: SpO2 89% (Scale 2, scores 0), RR 19, HR 92, BP 118/78, T 37.6 °C.'),
    s('Apixaban and prednisolone: all doses given.'),
  ]),
  // Rests on: news2.latest total/band/hoursAgo, trend falling, news2.max total/band/hoursAgo, vitals.latest.spo2 on air, scale 2,
  // drivers.latest only pulse.
  t('h3-improving-refs', 'improving', 'references', [
    s('{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.'),
    s('Peak in the window was {news2.max.total} ({news2.max.band}), {news2.max.hoursAgo}.', 'news2.max'),
    s('Sats {vitals.latest.spo2} off oxygen on SpO2 Scale 2; pulse {vitals.latest.heartRate} is the only parameter scoring.'),
  ]),
  // Rests on: latest 1 low 3 h; falling; max 9 high 60 h with values RR 26, SpO2 84 on oxygen; latest off oxygen, 89%, scale 2; overallPct 100.
  t('h3-improving-short', 'improving', 'terse, peak-set values labelled', [
    s('NEWS2 1 (low), 3 h ago, falling — was 9 (high) 60 h ago, when RR was 26 and sats 84% on O2.'),
    s('Off oxygen now; sats 89% on air, scored on Scale 2.'),
    s('Adherence 100%.'),
  ]),

  // --- false ---
  // False: "rising again": the trend is "falling" (recent mean 1.7 against 7 before).
  f('h3-improving-trend', 'improving', 'trend reversed', [
    s('NEWS2 1 (low risk), 3 h ago, and rising again after the peak of 9 (high) 60 h ago.'),
    s('SpO2 89% on air (Scale 2), HR 92.'),
  ]),
  // False: "Current obs: RR 26, HR 98": those are the peak set's values (60 h ago); the latest are RR 19, HR 92.
  f('h3-improving-peak-values', 'improving', 'peak-set values given as latest', [
    s('NEWS2 now 1 (low risk), 3 h ago, down from 9 (high) 60 h ago.'),
    s('Current obs: RR 26, HR 98, SpO2 89% on air.'),
  ]),

  // ===== insulin: NEWS2 2 (low) 2 h ago, stable; SpO2 95 (+1), HR 92 (+1), RR 18, BP 122/76, T 37.0, A; Insulin aspart (critical)
  // 3 refused, last 3 in a row (18/21); Levetiracetam (critical) 1 missed (13/14), not the latest; Paracetamol 28/28; overall 94%.

  // --- true ---
  // Rests on: Insulin aspart refused 3, current run 3, given 18 of 21; Levetiracetam missed 1, given 13 of 14; latest 2 low 2 h, stable,
  // subScores spo2 1 and pulse 1.
  t('h3-insulin-bullets', 'insulin', 'critical medicines first', [
    s('Insulin aspart refused x3 — the last three doses in a row (18 of 21 given).'),
    s('Levetiracetam: 1 dose missed (13 of 14 given).'),
    s('NEWS2 2 (low risk), 2 h ago, stable; SpO2 95% on air and HR 92 each score 1.'),
  ]),
  // Rests on: news2.latest total/band/hoursAgo; adherence.meds.0.refused 3 (run 3), adherence.meds.1.missed 1; overallPct 94.
  t('h3-insulin-refs', 'insulin', 'references', [
    s('{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.'),
    s(
      'Two critical medicines not fully taken: insulin aspart ({adherence.meds.0.refused} refused, the three most recent doses) and levetiracetam ({adherence.meds.1.missed} missed).',
      'adherence.meds.0',
      'adherence.meds.1',
    ),
    s('Overall adherence {adherence.overallPct}.'),
  ]),

  // --- false ---
  // False by omission: Levetiracetam (critical antiepileptic) "1 missed" is not mentioned.
  f('h3-insulin-omit-lev', 'insulin', 'omission: missed antiepileptic', [
    s('NEWS2 2 (low risk), 2 h ago, stable.'),
    s('Insulin aspart: last 3 doses refused.'),
    s('Paracetamol all given.'),
  ]),
  // False: "Paracetamol: 1 dose missed": Paracetamol is 28 of 28 given; the missed dose was Levetiracetam's (not named).
  f('h3-insulin-wrong-med', 'insulin', 'wrong medicine named for a missed dose', [
    s('NEWS2 2 (low), 2 h ago.'),
    s('Insulin aspart refused x3 (last three in a row).'),
    s('Paracetamol: 1 dose missed.'),
  ]),
  // False: "otherwise all doses given": Insulin aspart's last 3 doses were refused (18 of 21 given).
  f('h3-insulin-all-given', 'insulin', '"all doses given" when some were refused', [
    s('NEWS2 2 (low risk), 2 h ago; SpO2 95%, HR 92.'),
    s('Levetiracetam: 1 dose missed; otherwise all doses given.'),
  ]),
];
