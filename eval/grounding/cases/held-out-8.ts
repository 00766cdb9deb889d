// Eighth held-out set: written 2026-12-01 without reading the checker's rules or the other sets (ward-round handovers as current frontier models write them: literal shorthand, {path} references, hedges, fragments, loose citations); run once.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut8: EvalCase[] = [
  // ---------- high: NEWS2 8 high 2 h ago, rising (7 vs 2); RR 24, SpO2 94 on O2, BP 108/70, HR 104, T 38.4, A; continuous; Apixaban 2 missed (last 2 in a row, 12/14); paracetamol 1 refused
  // t: news2.latest 8/high/2 h, trend rising 7 vs 2, vitals.latest, response (registrar, emergency, HDU/ICU, continuous), Apixaban 2 missed last 2 in a row, 12/14.
  t('h8-high-shorthand', 'high', 'literal shorthand', [
    s(
      'NEWS2 of 8 (high risk) on the latest obs 2h ago, and rising: mean 7 over the last 2 complete sets vs 2 before.',
      'news2.latest',
      'news2.trend',
    ),
    s('RR 24, SpO2 94% on supplemental O2, BP 108/70, HR 104, T 38.4 (pyrexial); alert.', 'vitals.latest'),
    s(
      'Needs immediate medical review (registrar or above) with emergency assessment by a critical-care-competent team, consider HDU/ICU; continuous monitoring.',
      'news2.latest.response',
    ),
    s('Apixaban missed x2 (the last 2 doses in a row; 12/14 given).', 'adherence.meds.0'),
  ]),
  // t: the same facts written as references: total/band/hoursAgo, trend direction, vitals.latest values, response action + monitoring, Apixaban missed and current run.
  t('h8-high-refs', 'high', 'references throughout', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.',
      'news2.latest',
      'news2.trend',
    ),
    s(
      '{vitals.latest.respiratoryRate}, {vitals.latest.spo2} on oxygen, {vitals.latest.systolicBp}, {vitals.latest.heartRate}, {vitals.latest.temperatureC}.',
      'vitals.latest',
    ),
    s('{news2.latest.response.action}; minimum monitoring {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
    s(
      'Apixaban (anticoagulant, critical): {adherence.meds.0.missed} doses missed, the last {adherence.meds.0.currentMissedRun} in a row.',
      'adherence.meds.0',
    ),
  ]),
  // t: NEWS2 8 high rising (cited via news2.max, the same set), on oxygen SpO2 94, RR 24, HR 104, T 38.4, BP 108/70; response; Apixaban last 2 missed; 1 paracetamol refused; note flags fall/pain/escalation.
  t('h8-high-loose-cites', 'high', 'loose citations, fragments', [
    s('Deteriorating: NEWS2 8, high band, on a rising trend.', 'news2.max'),
    s('On oxygen with sats 94%, RR 24 and HR 104; febrile at 38.4, BP 108/70.', 'vitals.drivers.latest'),
    s('Escalate to the medical team immediately (registrar or above) for emergency assessment; continuous obs; consider HDU/ICU.'),
    s('Two consecutive Apixaban doses missed (the most recent two); one paracetamol dose refused.', 'adherence.criticalMissed'),
    s('Notes flag a fall, pain and an escalation for review.', 'notes'),
  ]),
  // f: omits the missed critical medicine: Apixaban 2 missed (last 2 in a row) is never named; the rest (8 high rising, vitals, response, 91% 31/34) is true.
  f('h8-high-omit-apixaban', 'high', 'omits critical medicine', [
    s('NEWS2 8 (high risk) 2h ago, rising trend.', 'news2.latest', 'news2.trend'),
    s('RR 24, SpO2 94% on O2, HR 104, BP 108/70, T 38.4.', 'vitals.latest'),
    s(
      'Medical team (at least registrar) to be informed immediately for emergency assessment, consider HDU/ICU; continuous monitoring.',
      'news2.latest.response',
    ),
    s('Adherence 91% overall (31/34 doses given).', 'adherence.overallPct'),
  ]),
  // f: number copied from a note: "sats 89% on air" comes from the escalation note, not the facts; everything else true.
  f('h8-high-note-spo2', 'high', 'number copied from note', [
    s('NEWS2 8 (high) on the latest set 2h ago and rising.', 'news2.latest'),
    s(
      'Increasing oxygen requirement: sats were 89% on air before O2 was started, now 94% on oxygen; RR 24, HR 104, T 38.4.',
      'vitals.latest',
    ),
    s(
      'Needs emergency assessment: medical team informed immediately at registrar level, consider HDU/ICU, continuous monitoring.',
      'news2.latest.response',
    ),
    s('Apixaban: last 2 doses missed.', 'adherence.meds.0'),
  ]),
  // f: understated monitoring: says minimum obs 1-hourly; the facts say continuous for this high score.
  f('h8-high-hourly-obs', 'high', 'understated monitoring frequency', [
    s('Latest NEWS2 8, high risk, 2h ago; trend rising.', 'news2.latest', 'news2.trend'),
    s('RR 24, SpO2 94% on supplemental oxygen, SBP 108, HR 104, T 38.4.'),
    s(
      'RN to inform the medical team immediately (registrar level) for emergency assessment by a critical-care-competent team, consider HDU/ICU; obs at least 1-hourly.',
      'news2.latest.response',
    ),
    s('Apixaban missed x2, both the most recent doses.', 'adherence.meds.0'),
  ]),

  // ---------- normal: NEWS2 0 low 3 h ago, stable; 12-hourly routine; RR 16, SpO2 98 air, BP 126/78, HR 72, T 36.8, A; 28/28 (Amoxicillin 21/21, Furosemide 7/7)
  // t: NEWS2 0 low 3 h ago, routine 12-hourly, every sub-score 0, vitals.latest values, Amoxicillin 21/21 and Furosemide 7/7.
  t('h8-normal-shorthand', 'normal', 'literal shorthand', [
    s('NEWS2 0 at the last set 3h ago: low risk, routine 12-hourly obs.', 'news2.latest'),
    s(
      'RR 16, sats 98% on room air, BP 126/78, HR 72, T 36.8, alert; every parameter scoring 0.',
      'vitals.latest',
      'news2.latest.subScores',
    ),
    s('All meds given (amoxicillin 21/21, furosemide 7/7).', 'adherence.meds'),
  ]),
  // t: references: total/band/hoursAgo, trend stable, minimum monitoring 12-hourly, overallPct 100 with missed 0 and refused 0.
  t('h8-normal-refs', 'normal', 'references throughout', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, trend {news2.trend.direction}.', 'news2.latest'),
    s('Routine monitoring, minimum {news2.latest.response.minimumMonitoring}.', 'news2.latest.response.minimumMonitoring'),
    s('Adherence {adherence.overallPct}: no doses missed or refused.', 'adherence'),
  ]),
  // t: fragments: NEWS2 0 low stable; T 36.8 apyrexial, HR 72, RR 16, SpO2 98 air, SBP 126; 12-hourly routine; 28 of 28 (citation on the adherence line points at vitals, text still true).
  t('h8-normal-fragments', 'normal', 'fragments, missing/wrong citations', [
    s('NEWS2 0 (low), stable trend.'),
    s('Apyrexial (36.8), HR 72, RR 16, SpO2 98% on air, SBP 126.', 'vitals.latest'),
    s('Routine obs, 12-hourly. 100% adherence, 28 of 28 doses.', 'vitals.latest'),
  ]),
  // f: wrong monitoring: says obs 4–6-hourly; for a complete NEWS2 of 0 the facts give routine 12-hourly.
  f('h8-normal-four-hourly', 'normal', 'wrong monitoring frequency', [
    s('NEWS2 0 (low risk) 3h ago, stable.', 'news2.latest', 'news2.trend'),
    s('RR 16, SpO2 98% on air, BP 126/78, HR 72, T 36.8.', 'vitals.latest'),
    s('Obs 4–6-hourly.', 'news2.latest.response'),
    s('All doses given, 28/28.', 'adherence'),
  ]),
  // f: invented missed dose: says one furosemide dose missed; Furosemide is 7/7 given, 0 missed.
  f('h8-normal-furosemide-missed', 'normal', 'wrong dose count', [
    s('Latest NEWS2 0, low risk, 3h ago; routine 12-hourly monitoring.', 'news2.latest'),
    s('Obs: RR 16, sats 98% RA, HR 72, BP 126/78, afebrile at 36.8.', 'vitals.latest'),
    s('All amoxicillin doses given; one furosemide dose missed.', 'adherence.meds.1'),
  ]),

  // ---------- medium: NEWS2 6 medium 4 h ago, stable (5.5 vs 5.5); SpO2 88 on air scores 3, RR 22 (+2), HR 94 (+1); BP 132/80, T 37.4, A; 1-hourly; inform immediately, urgent assessment; all doses given
  // t: 6/medium/4 h, stable 5.5 vs 5.5, SpO2 88 on air scoring 3, RR 22 +2, HR 94 +1, response + 1-hourly, BP 132/80, T 37.4, Levetiracetam and Enoxaparin all given.
  t('h8-medium-shorthand', 'medium', 'literal shorthand', [
    s('NEWS2 6 (medium) 4h ago, trend stable (mean 5.5 vs 5.5).', 'news2.latest', 'news2.trend'),
    s('Driven by sats 88% on air, a single-parameter 3, plus RR 22 (+2) and HR 94 (+1).', 'vitals.drivers.latest'),
    s(
      'RN to inform the medical team immediately for urgent assessment by a clinician with acute-illness competencies; obs at least hourly.',
      'news2.latest.response',
    ),
    s('BP 132/80, T 37.4, alert. All doses given, incl. levetiracetam and enoxaparin.', 'vitals.latest', 'adherence'),
  ]),
  // t: references: total/band/hoursAgo, trend direction, SpO2 (88, on air) scoring 3, RR and HR values, response action and monitoring.
  t('h8-medium-refs', 'medium', 'references throughout', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; trend {news2.trend.direction}.', 'news2.latest'),
    s('{vitals.latest.spo2} on air scores 3 on its own; {vitals.latest.respiratoryRate}, {vitals.latest.heartRate}.', 'vitals.latest'),
    s('{news2.latest.response.action}; monitoring at least {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
  ]),
  // t: hedged: remains medium with NEWS2 6 (every set in the window scored 5–6, trend stable), SpO2 88 RA scoring 3, RR 22, HR 94, SBP 132, T 37.4; immediate inform + urgent review, hourly.
  t('h8-medium-hedged', 'medium', 'hedged, parent citations', [
    s('Remains medium risk with a NEWS2 of 6; trend appears stable.', 'news2.trend'),
    s('SpO2 88% on room air scores 3 (red), with RR 22 and HR 94; SBP 132, afebrile at 37.4.', 'vitals'),
    s('Medical team to be informed immediately for urgent review; hourly obs as a minimum.', 'news2.latest'),
  ]),
  // f: swapped values: SpO2 written as 94% and HR as 88 (actually SpO2 88%, HR 94); rest true.
  f('h8-medium-swap-spo2-hr', 'medium', 'swapped values between parameters', [
    s('NEWS2 6 (medium risk) 4h ago, stable trend.', 'news2.latest'),
    s('Sats 94% on air, RR 22, HR 88; BP 132/80, T 37.4.', 'vitals.latest'),
    s(
      'Inform the medical team immediately for urgent assessment by a clinician with acute-illness competencies; minimum 1-hourly obs.',
      'news2.latest.response',
    ),
  ]),
  // f: wrong band word: calls NEWS2 6 "high risk"; it is medium.
  f('h8-medium-high-band', 'medium', 'wrong band', [
    s('NEWS2 6, high risk, 4h ago; trend stable.', 'news2.latest'),
    s('SpO2 88% on air (scores 3), RR 22, HR 94.', 'vitals.drivers.latest'),
    s('RN informs medical team immediately for urgent assessment; obs at least 1-hourly.', 'news2.latest.response'),
    s('All levetiracetam and enoxaparin doses given.', 'adherence.meds'),
  ]),

  // ---------- red: NEWS2 3 low-medium 1.5 h ago (SBP 88 scores 3), stable (2 vs 0.5); 1-hourly, team decides on escalation; BP 88/54, HR 84, RR 16, SpO2 97 air, T 36.9; Insulin glargine 2 refused (last 2), 5/7, 71%; metformin 14/14
  // t: 3/low-medium/1.5 h with SBP 88 scoring 3, vitals.latest, response + 1-hourly, Insulin glargine 2 refused last 2, 5/7.
  t('h8-red-shorthand', 'red', 'literal shorthand', [
    s('NEWS2 3 (low-medium) 1.5h ago: single red score, SBP 88 (scores 3).', 'news2.latest', 'vitals.latest.systolicBp'),
    s('BP 88/54, HR 84, RR 16, SpO2 97% RA, T 36.9.', 'vitals.latest'),
    s('Medical team to be informed and decide on escalation; obs at least 1-hourly.', 'news2.latest.response'),
    s('Insulin glargine refused x2 (the last two doses); 5/7 given.', 'adherence.meds.0'),
  ]),
  // t: references: total/band/hoursAgo, systolic BP scoring 3, response, glargine refused count and current run, metformin all given (cites the max driver list, same set).
  t('h8-red-refs', 'red', 'references, sibling citations', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, because {vitals.latest.systolicBp} scores 3.',
      'vitals.drivers.max',
    ),
    s('{news2.latest.response.action}; {news2.latest.response.minimumMonitoring} minimum.', 'news2.latest.response'),
    s(
      'Insulin glargine: {adherence.meds.0.refused} doses refused, the last {adherence.meds.0.currentMissedRun} in a row; metformin all given.',
      'adherence.meds',
    ),
  ]),
  // t: hedged: SBP 88 the only scoring parameter, a 3, NEWS2 3 low-medium; trend stable; inform team who decide, 1-hourly; glargine refused last 2, 71%; refusal flag.
  t('h8-red-hedged', 'red', 'hedged clinical phrasing', [
    s('Low SBP at 88: the only scoring parameter, but a 3, which puts the NEWS2 of 3 in the low-medium band.', 'news2.latest.subScores'),
    s('Trend appears stable.', 'news2.trend'),
    s('RN to inform the medical team, who will decide whether to escalate; minimum 1-hourly observations.'),
    s('Insulin glargine refused on the last 2 occasions (71% for that drug); notes flag a refusal.', 'adherence.meds.0', 'notes'),
  ]),
  // f: wrong trend: says NEWS2 rising; the facts say stable (mean 2 vs 0.5 over 2 sets each).
  f('h8-red-rising', 'red', 'wrong trend direction', [
    s('NEWS2 3 (low-medium risk) 1.5h ago and rising, with SBP 88 scoring 3.', 'news2.latest', 'news2.trend'),
    s('HR 84, RR 16, sats 97% on air, T 36.9.', 'vitals.latest'),
    s('Medical team to be informed and to decide on escalation; hourly obs.', 'news2.latest.response'),
    s('Insulin glargine: last 2 doses refused.', 'adherence.meds.0'),
  ]),
  // f: wrong band word: calls NEWS2 3 "low risk"; with SBP 88 scoring 3 it is low-medium.
  f('h8-red-low-band', 'red', 'wrong band', [
    s('NEWS2 3 (low risk) 1.5h ago; SBP 88 scores 3.', 'news2.latest'),
    s('RN to inform the medical team, who decide whether to escalate; obs at least 1-hourly.', 'news2.latest.response'),
    s('Insulin glargine refused x2, the two most recent doses.', 'adherence.meds.0'),
  ]),
  // f: omits the refused critical medicine: Insulin glargine (2 refused, last 2 in a row) is never named; overall 90% and metformin are true.
  f('h8-red-omit-glargine', 'red', 'omits critical medicine', [
    s('Latest NEWS2 3, low-medium, 1.5h ago, from SBP 88 (scores 3); BP 88/54.', 'news2.latest', 'vitals.latest'),
    s('Medical team to be informed and decide whether to escalate; minimum 1-hourly obs.', 'news2.latest.response'),
    s('Adherence 90% overall; metformin all given.', 'adherence.overallPct'),
  ]),

  // ---------- partial: latest set 9 h ago partial (consciousness, temperature not recorded), partial NEWS2 2, at least low; overdue (after 6 h); RR 20, SpO2 95 air, BP 114/72, HR 96; paracetamol 2 missed 22/24; amoxicillin 15/15; 95% 37/39
  // t: overdue 9 h vs 6 h, partial 2 at least low with temperature + consciousness missing, vitals.latest values, paracetamol 2 missed 22/24, amoxicillin all given.
  t('h8-partial-shorthand', 'partial', 'literal shorthand', [
    s('Obs overdue: last set 9h ago (overdue after 6h).', 'vitals.overdue', 'vitals.hoursSinceLastObservation'),
    s('That set was partial, with no temperature or consciousness recorded, so a partial NEWS2 of 2 (at least low risk).', 'news2.latest'),
    s('RR 20, SpO2 95% on air, BP 114/72, HR 96.', 'vitals.latest'),
    s('Paracetamol missed x2 (22/24); amoxicillin all given.', 'adherence.meds'),
  ]),
  // t: references: hoursAgo, missing temperature/consciousness, partial total + band, hoursSinceLastObservation and overdueAfterHours, response action + monitoring.
  t('h8-partial-refs', 'partial', 'references throughout', [
    s(
      'Latest set {news2.latest.hoursAgo} was incomplete (temperature and consciousness not recorded): partial {news2.latest.total}, at least {news2.latest.band} risk.',
      'news2.latest',
    ),
    s(
      'Observations are overdue: {vitals.hoursSinceLastObservation} since the last set, overdue after {vitals.overdueAfterHours}.',
      'vitals',
    ),
    s('{news2.latest.response.action}; minimum {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
  ]),
  // t: hedged: partial 2 with temperature and consciousness (AVPU) not charted; overdue 9 h vs 6 h; SpO2 95 RA, HR 96, RR 20, SBP 114; 95% 37/39, both misses paracetamol.
  t('h8-partial-hedged', 'partial', 'hedged, shorthand', [
    s("NEWS2 is only partial at 2: temperature and AVPU weren't charted on the last set.", 'news2.latest.missing'),
    s('Obs now overdue (9h since the last set; overdue after 6h).'),
    s('Sats 95% RA, HR 96, RR 20, SBP 114.', 'vitals.latest'),
    s('Adherence 95% (37/39); the 2 misses were both paracetamol.', 'adherence'),
  ]),
  // f: partial stated as complete: "NEWS2 2 (low risk)" with no word that the set is partial or that temperature and consciousness were not recorded.
  f('h8-partial-as-complete', 'partial', 'partial score stated as complete', [
    s('NEWS2 2 (low risk) on the last set, 9h ago.', 'news2.latest'),
    s('Obs overdue: nothing charted for 9h (overdue after 6h).', 'vitals.overdue'),
    s('RR 20, SpO2 95% on air, BP 114/72, HR 96.', 'vitals.latest'),
    s('Paracetamol missed x2.', 'adherence.meds.0'),
  ]),
  // f: omits overdue observations: states the 9 h age but never that obs are overdue (overdue after 6 h).
  f('h8-partial-omit-overdue', 'partial', 'omits overdue observations', [
    s('Latest set (9h ago) is partial: temperature and consciousness not recorded; partial NEWS2 2, at least low risk.', 'news2.latest'),
    s('RR 20, sats 95% on air, HR 96, BP 114/72.', 'vitals.latest'),
    s('RN to assess and decide frequency/escalation; minimum 4–6-hourly.', 'news2.latest.response'),
    s('Paracetamol: 2 doses missed (22/24 given).', 'adherence.meds.0'),
  ]),
  // f: wrong missing parameters: says respiratory rate was not recorded (RR 20 was); consciousness, actually missing, is not named.
  f('h8-partial-wrong-missing', 'partial', 'wrong missing parameters', [
    s('Partial NEWS2 of 2 (at least low risk): temperature and respiratory rate not recorded on the last set.', 'news2.latest'),
    s('Obs overdue, last set 9h ago.', 'vitals.hoursSinceLastObservation'),
    s('SpO2 95% on air, HR 96, BP 114/72.', 'vitals.latest'),
    s('Paracetamol x2 missed; amoxicillin 15/15.', 'adherence.meds'),
  ]),

  // ---------- rejected: latest set 1 h ago, SpO2 250% rejected as impossible (not scored), partial NEWS2 0, at least low, 4–6-hourly, RN assesses; RR 18, BP 136/82, HR 78, T 37.1, A, on air; Amlodipine 7/7
  // t: SpO2 250 rejected as impossible, partial 0 at least low, other values of vitals.latest, 4–6-hourly with RN assessment, Amlodipine 7/7.
  t('h8-rejected-shorthand', 'rejected', 'literal shorthand', [
    s(
      'Latest obs 1h ago: SpO2 entry of 250% rejected as impossible and not scored, so the NEWS2 of 0 is partial (at least low risk).',
      'news2.latest.rejected',
      'news2.latest',
    ),
    s('Rest of the set: RR 18, BP 136/82, HR 78, T 37.1, alert, on air.', 'vitals.latest'),
    s('RN to assess; minimum 4–6-hourly obs. Sats need re-checking.', 'news2.latest.response'),
    s('Amlodipine: all 7 doses given.', 'adherence.meds.0'),
  ]),
  // t: references: partial total + band + hoursAgo, SpO2 250 rejected as impossible, remaining vitals.latest values, response action + monitoring.
  t('h8-rejected-refs', 'rejected', 'references throughout', [
    s(
      'Partial {news2.latest.total} (at least {news2.latest.band} risk), {news2.latest.hoursAgo}: the SpO2 value (250%) was rejected as impossible, so it was not scored.',
      'news2.latest',
    ),
    s(
      '{vitals.latest.respiratoryRate}, {vitals.latest.systolicBp}, {vitals.latest.heartRate}, {vitals.latest.temperatureC}.',
      'vitals.latest',
    ),
    s('{news2.latest.response.action}; minimum {news2.latest.response.minimumMonitoring}.', 'news2.latest.response'),
  ]),
  // f: wrong response: says routine 12-hourly monitoring; a partial 0 gets 4–6-hourly with RN assessment.
  f('h8-rejected-routine', 'rejected', 'wrong monitoring for a partial 0', [
    s('SpO2 of 250% on the latest set (1h ago) rejected as impossible; partial NEWS2 of 0, low risk.', 'news2.latest'),
    s('RR 18, BP 136/82, HR 78, T 37.1, alert.', 'vitals.latest'),
    s('Routine monitoring, 12-hourly.', 'news2.latest.response'),
    s('Amlodipine 7/7 given.'),
  ]),
  // f: omits the rejected value: never says SpO2 250 was rejected as impossible, and presents the NEWS2 of 0 as a plain score.
  f('h8-rejected-omit-rejection', 'rejected', 'omits rejected impossible value', [
    s('NEWS2 0 (low risk), latest set 1h ago.', 'news2.latest'),
    s('RR 18, BP 136/82, HR 78, apyrexial at 37.1, alert, on air.', 'vitals.latest'),
    s('Amlodipine: all doses given (100%).', 'adherence'),
  ]),

  // ---------- improving: latest NEWS2 1 low 3 h ago (HR 92 +1); peak 9 high 60 h ago (RR 26, SpO2 84 on O2, SBP 104, HR 98); falling (1.7 vs 7 over 3 sets); scale 2; now on air SpO2 89 (scores 0), RR 19, BP 118/78, T 37.6; 4–6-hourly; 100% (Apixaban 14/14, prednisolone 7/7)
  // t: latest 1/low/3 h, max 9/high/60 h, trend falling, on air SpO2 89 scale 2 scoring 0, RR 19, HR 92 +1, SBP 118, T 37.6, 4–6-hourly RN assess, Apixaban 14/14.
  t('h8-improving-shorthand', 'improving', 'literal shorthand', [
    s(
      'Improving: NEWS2 down to 1 (low) 3h ago from a peak of 9 (high) 60h ago; trend falling.',
      'news2.latest',
      'news2.max',
      'news2.trend',
    ),
    s('Now on room air, SpO2 89% (scale 2, scores 0), RR 19, HR 92 (+1), SBP 118, T 37.6.', 'vitals.latest'),
    s('Obs 4–6-hourly; RN to assess.', 'news2.latest.response'),
    s('All doses given, incl. apixaban 14/14.', 'adherence.meds.0'),
  ]),
  // t: references: latest total/band/hoursAgo, max total/band/hoursAgo, trend direction with recentMean 1.7 vs previousMean 7 over 3 sets, SpO2 on air on scale 2, HR.
  t('h8-improving-refs', 'improving', 'references throughout', [
    s(
      'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; peak {news2.max.total} ({news2.max.band} risk), {news2.max.hoursAgo}.',
      'news2.latest',
      'news2.max',
    ),
    s(
      'Trend {news2.trend.direction}: mean {news2.trend.recentMean} over the last 3 complete sets against {news2.trend.previousMean} before.',
      'news2.trend',
    ),
    s('{vitals.latest.spo2} on air (SpO2 scale 2), {vitals.latest.heartRate}.', 'vitals.latest', 'news2.scale'),
  ]),
  // t: hedged: peak 9 60 h ago on oxygen with RR 26 and SpO2 84, now 1; off oxygen, SpO2 89 on air scale 2 scoring 0; HR 92 the only scoring parameter; 100% adherence.
  t('h8-improving-hedged', 'improving', 'hedged, parent citations', [
    s('NEWS2 has come down substantially: 9 at its worst (60h ago, on oxygen, RR 26, sats 84%), now 1.', 'news2'),
    s('Appears to be off oxygen now, with sats 89% on air on scale 2, which scores 0.', 'vitals.latest'),
    s('The only scoring parameter is HR 92.', 'vitals.drivers'),
    s('Adherence 100%.'),
  ]),
  // f: wrong peak: says a peak of 7; the highest NEWS2 was 9, 60 h ago (7 is the earlier mean).
  f('h8-improving-peak-7', 'improving', 'wrong comparison value', [
    s('NEWS2 down from a peak of 7 (high risk) 60h ago to 1 (low) now; falling trend.', 'news2.max', 'news2.latest'),
    s('SpO2 89% on air (scale 2), HR 92, RR 19, SBP 118.', 'vitals.latest'),
    s('All apixaban and prednisolone doses given.', 'adherence.meds'),
  ]),
  // f: on oxygen when on air: says the patient remains on supplemental O2; the latest set is on air.
  f('h8-improving-still-on-o2', 'improving', 'on oxygen when on air', [
    s('Latest NEWS2 1 (low) 3h ago, falling from 9 (high) 60h ago.', 'news2.latest', 'news2.max'),
    s('Remains on supplemental O2, sats 89% (scale 2); RR 19, HR 92.', 'vitals.latest'),
    s('Obs 4–6-hourly with RN assessment; all doses given.', 'news2.latest.response'),
  ]),
  // f: wrong hours: puts the peak NEWS2 9 at 48 h ago; it was 60 h ago.
  f('h8-improving-peak-48h', 'improving', 'wrong hours', [
    s('Peak NEWS2 9 (high) 48h ago, now 1 (low) 3h ago; trend falling.', 'news2.max', 'news2.latest', 'news2.trend'),
    s('Off O2 now: SpO2 89% on air on scale 2, HR 92, T 37.6.', 'vitals.latest'),
    s('Adherence 100%, apixaban 14/14.', 'adherence'),
  ]),

  // ---------- insulin: NEWS2 2 low 2 h ago, stable (2 vs 1); SpO2 95 +1, HR 92 +1; RR 18, BP 122/76, T 37, A; Insulin aspart 3 refused (last 3 in a row), 18/21; Levetiracetam 1 missed (13/14, not the latest); paracetamol 28/28; 94% 59/63
  // t: 2/low/2 h, stable, SpO2 95 and HR 92 +1 each, RR 18, BP 122/76, T 37, aspart 3 refused last 3 in a row 18/21, levetiracetam 1 missed 13/14 not the latest (cited at the wrong med index), refusal flag.
  t('h8-insulin-shorthand', 'insulin', 'literal shorthand, one wrong citation', [
    s('NEWS2 2 (low) 2h ago, stable trend; SpO2 95% and HR 92 each score 1.', 'news2.latest', 'vitals.drivers.latest'),
    s('RR 18, BP 122/76, T 37.0, alert, on air.', 'vitals.latest'),
    s('Insulin aspart refused x3, the last 3 doses in a row (18/21 given).', 'adherence.meds.0'),
    s('Levetiracetam: 1 dose missed (13/14), not the most recent. Notes flag refusal.', 'adherence.meds.0'),
  ]),
  // t: references: latest total/band/hoursAgo, aspart refused and current run, levetiracetam missed of due, overallPct.
  t('h8-insulin-refs', 'insulin', 'references throughout', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.', 'news2.latest'),
    s(
      'Insulin aspart: {adherence.meds.0.refused} doses refused, the last {adherence.meds.0.currentMissedRun} consecutively.',
      'adherence.meds.0',
    ),
    s('Levetiracetam: {adherence.meds.1.missed} missed of {adherence.meds.1.due} due.', 'adherence.meds.1'),
    s('Overall adherence {adherence.overallPct}.', 'adherence.overallPct'),
  ]),
  // f: omits a critical medicine: Levetiracetam (antiepileptic, 1 missed) is never mentioned; aspart and the rest are true.
  f('h8-insulin-omit-levetiracetam', 'insulin', 'omits critical medicine', [
    s('NEWS2 2, low risk, 2h ago; stable.', 'news2.latest'),
    s('SpO2 95% on air, HR 92, RR 18, BP 122/76, apyrexial.', 'vitals.latest'),
    s('Insulin aspart refused on the last 3 occasions; paracetamol all given.', 'adherence.meds'),
  ]),
  // f: wrong dose count: says insulin aspart refused x2 with 19/21 given; it was 3 refused, 18/21.
  f('h8-insulin-aspart-x2', 'insulin', 'wrong dose count', [
    s('Latest NEWS2 2 (low) 2h ago.', 'news2.latest'),
    s('Insulin aspart refused x2 (19/21 given), both the most recent doses.', 'adherence.meds.0'),
    s('Levetiracetam: one missed dose (13/14).', 'adherence.meds.1'),
  ]),
];
