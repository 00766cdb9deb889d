// Fourth held-out set: written 2026-12-01 without reading the checker's rules or the other sets (terse SBAR style); run once.
import { f, t } from './held-out-case';
import { s, type EvalCase } from './types';

export const heldOut4: EvalCase[] = [
  // ===== high =====
  // True: latest NEWS2 8 high 2 h ago, trend rising; latest set RR 24, SpO2 94 on O2, BP 108/70, HR 104, T 38.4, A; no single 3
  // (RR +2, O2 +2, SpO2/SBP/pulse/T +1); high response (registrar, emergency assessment, continuous, HDU/ICU); Apixaban 12/14, last 2 missed.
  t('h4-high-sbar', 'high', 'terse SBAR', [
    s('S: NEWS2 8 (high) at last obs 2 h ago, ↑ trend.', 'news2.latest', 'news2.trend.direction'),
    s('B: RR 24, sats 94% on O2, BP 108/70, HR 104, T 38.4, ACVPU A.', 'vitals.latest'),
    s('A: no single param scoring 3 — RR +2, O2 +2, sats/SBP/HR/T +1 each.', 'news2.latest.subScores'),
    s('R: inform medical team now (registrar level) for emergency assessment, continuous obs, consider HDU/ICU.', 'news2.latest.response'),
    s('Meds: apixaban missed x2 (last 2 doses in a row), 12/14 given.', 'adherence.meds.0'),
  ]),
  // True: scores series 4 (22 h ago) → 6 (10 h ago) → 8 (2 h ago), band high; latest set on O2, SpO2 94, RR 24, HR 104, SBP 108,
  // T 38.4; high response; Apixaban's 2 missed doses are the 2 most recent.
  t('h4-high-arrows', 'high', 'arrows', [
    s('NEWS2 4→6→8 over the last 22 h; now 8, high band.'),
    s('Now on O2: sats 94%, RR 24, HR 104, SBP 108, T 38.4 °C.'),
    s('Escalate: medical team immediately, emergency assessment, continuous monitoring.'),
    s('Apixaban: 2 doses missed, both the most recent.'),
  ]),
  // True: references for latest total/band/hoursAgo and SpO2 (94, on O2); trend rising; RR 24, HR 104, T 38.4; high response;
  // Apixaban (anticoagulant) 2 missed, Paracetamol 1 refused.
  t('h4-high-refs', 'high', 'terse with references', [
    s('S: Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; rising.', 'news2.latest', 'news2.trend'),
    s('B: {vitals.latest.spo2} on O2, RR 24, HR 104, T 38.4.', 'vitals.latest'),
    s('R: registrar-level review now for emergency assessment; continuous obs.', 'news2.latest.response'),
    s('Apixaban (anticoagulant) missed x2; paracetamol refused x1.', 'adherence.meds'),
  ]),
  // False: "desat to 89% RA overnight" is the escalation note's number, not a charted observation (the sets before the latest
  // show SpO2 95% and 94% on air; no set shows 89%).
  f('h4-high-note-sats', 'high', "a note's number as a measurement", [
    s('S: NEWS2 8 (high), ↑, 2 h ago.'),
    s('B: desat to 89% RA overnight → now 94% on O2; RR 24, HR 104, T 38.4.'),
    s('R: medical team now, emergency assessment, continuous obs.'),
    s('Apixaban missed x2.'),
  ]),
  // False: "otherwise all given" leaves out the critical Apixaban (2 missed, the last 2 in a row); only Paracetamol's 1 refusal is named.
  f('h4-high-no-apixaban', 'high', 'missed critical dose omitted', [
    s('S: NEWS2 8 (high) 2 h ago, rising.'),
    s('B: RR 24, sats 94% on O2, BP 108/70, HR 104, T 38.4.'),
    s('R: inform med team immediately, emergency assessment, continuous obs.'),
    s('Meds: paracetamol refused x1, otherwise all given.'),
  ]),
  // False: "sats 94% RA" — the latest set is on oxygen (onOxygen true, air/oxygen scores 2).
  f('h4-high-ra', 'high', '"RA" when on oxygen', [
    s('S: NEWS2 8 (high), 2 h ago, ↑.'),
    s('B: RR 24, sats 94% RA, BP 108/70, HR 104, T 38.4.'),
    s('R: medical team now for emergency assessment; continuous obs.'),
    s('Apixaban: last 2 doses missed.'),
  ]),

  // ===== normal =====
  // True: latest NEWS2 0 low 3 h ago, trend stable; RR 16, SpO2 98 on air, BP 126/78, HR 72, T 36.8, A; routine, 12-hourly;
  // 28/28 doses (Amoxicillin 21/21, Furosemide 7/7).
  t('h4-normal-sbar', 'normal', 'terse SBAR', [
    s('S: NEWS2 0 (low), last obs 3 h ago, stable.', 'news2.latest', 'news2.trend'),
    s('B: RR 16, sats 98% RA, BP 126/78, HR 72, T 36.8, alert.', 'vitals.latest'),
    s('R: routine obs q12h.', 'news2.latest.response'),
    s('Meds: all 28/28 doses given (amoxicillin 21/21, furosemide 7/7).', 'adherence'),
  ]),
  // True: 3 sets (27, 15, 3 h ago), each NEWS2 0: RR 14/15/16, SpO2 98/97/98 on air, SBP 130/122/126, HR 68/74/72,
  // T 36.6/37.0/36.8; latest 3 h ago; routine, 12-hourly; 100% adherence.
  t('h4-normal-ranges', 'normal', 'ranges', [
    s('3 sets since yesterday, NEWS2 0 at each, latest 3 h ago.'),
    s('RR 14–16, sats 97–98% RA, SBP 122–130, HR 68–74, T 36.6–37.0 across the 3 sets.'),
    s('Routine monitoring, min q12h; adherence 100%.'),
  ]),
  // False: "T 37.0" is the 15 h set's temperature; the latest set (3 h ago) has 36.8 °C.
  f('h4-normal-wrong-set', 'normal', 'value from the wrong set', [
    s('S: NEWS2 0 (low), 3 h ago.'),
    s('B: RR 16, sats 98% RA, BP 126/78, HR 72, T 37.0.'),
    s('R: routine, q12h obs; all doses given.'),
  ]),

  // ===== medium =====
  // True: latest NEWS2 6 medium 4 h ago; SpO2 88 on air scores 3; RR 22, HR 94, BP 132/80, T 37.4, A; scores 5, 6, 5, 6 over
  // 40 h, trend stable; medium response, 1-hourly; Levetiracetam 14/14 and Enoxaparin 7/7 given.
  t('h4-medium-sbar', 'medium', 'terse SBAR', [
    s('S: NEWS2 6 (medium), 4 h ago — sats 88% on RA scores 3.', 'news2.latest', 'vitals.latest.spo2'),
    s('B: RR 22, HR 94, BP 132/80, T 37.4, alert.', 'vitals.latest'),
    s('A: NEWS2 5–6 over the last 40 h, trend stable.', 'news2.trend'),
    s('R: inform medical team immediately for urgent assessment; obs min q1h.', 'news2.latest.response'),
    s('Meds: levetiracetam and enoxaparin all given.', 'adherence.meds'),
  ]),
  // True: NEWS2 6 medium; single 3 is SpO2 88 on air; RR 22 (+2), HR 94 (+1); trend stable; medium response, 1-hourly; no doses missed.
  t('h4-medium-terse', 'medium', 'shorthand', [
    s('NEWS2 6 medium (single 3: SpO2 88% RA); RR 22 (+2), HR 94 (+1).'),
    s('EWS trend → stable.'),
    s('Escalate now: urgent clinician review, q1h obs.'),
    s('No missed doses.'),
  ]),
  // True: references for total/band/hoursAgo (6, medium, 4 h) and SpO2 (88, on air, scores 3); RR 22, HR 94; medium response;
  // 21/21 doses given.
  t('h4-medium-refs', 'medium', 'terse with references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.', 'news2.latest'),
    s('{vitals.latest.spo2} on RA (scores 3), RR 22, HR 94.', 'vitals.latest'),
    s('R: inform medical team now for urgent assessment; q1h obs.', 'news2.latest.response'),
    s('All 21/21 doses given.', 'adherence'),
  ]),
  // False: "sats 89–92% RA over the last 40 h" hides the latest set's 88% (sets: 92, 89, 92, 88).
  f('h4-medium-range-hides', 'medium', 'range hides an out-of-range set', [
    s('S: NEWS2 6 (medium) 4 h ago; sats scoring 3.'),
    s('B: sats 89–92% RA over the last 40 h, RR 22, HR 94.'),
    s('R: inform med team now for urgent assessment, q1h obs.'),
  ]),
  // False: band "low-medium" — a total of 6 is medium (the single 3 does not make it low-medium).
  f('h4-medium-band', 'medium', 'band word wrong', [
    s('S: NEWS2 6 (low-medium), 4 h ago — single 3 from sats 88% RA.'),
    s('B: RR 22, HR 94, T 37.4.'),
    s('R: inform medical team, q1h obs.'),
  ]),

  // ===== red =====
  // True: latest NEWS2 3 low-medium 1.5 h ago; SBP 88 scores 3; BP 88/54, HR 84, RR 16, SpO2 97 on air, T 36.9, A; response:
  // medical team informed, they decide on escalation, 1-hourly; Insulin glargine refused 2 (last 2), 5/7 given; Metformin 14/14.
  t('h4-red-sbar', 'red', 'terse SBAR', [
    s('S: NEWS2 3 (low-medium) 1.5 h ago — SBP 88 scores 3 (red flag).', 'news2.latest', 'vitals.latest.systolicBp'),
    s('B: BP 88/54, HR 84, RR 16, sats 97% RA, T 36.9, alert.', 'vitals.latest'),
    s('R: inform medical team, who decide on escalation; q1h obs.', 'news2.latest.response'),
    s('Meds: insulin glargine refused x2 (last 2 doses), 5/7 given; metformin 14/14.', 'adherence.meds'),
  ]),
  // True: NEWS2 3 low-medium; the single 3 is SBP 88; trend stable; glargine's last 2 doses refused in a row; low-medium
  // response (medical team decides), 1-hourly.
  t('h4-red-terse', 'red', 'shorthand', [
    s('NEWS2 3, low-medium; single param 3 = SBP 88.'),
    s('Trend → stable.'),
    s('Glargine refused ×2 in a row (most recent).'),
    s('Escalation: med team to decide; min q1h obs.'),
  ]),
  // True: references for total/band/hoursAgo (3, low-medium, 1.5 h); SBP 88 scores 3; glargine last 2 refused, pct 71;
  // overall 90% (19/21); 1-hourly.
  t('h4-red-refs', 'red', 'terse with references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}, driven by SBP 88 (3 points).', 'news2.latest'),
    s('Insulin glargine: last 2 doses refused, 71% given.', 'adherence.meds.0'),
    s('Overall adherence 90% (19/21).', 'adherence.overallPct'),
    s('R: inform medical team; min 1-hourly obs.', 'news2.latest.response'),
  ]),
  // False: "refused x3" — Insulin glargine has 2 refused doses (5 of 7 given).
  f('h4-red-glargine-x3', 'red', 'dose count off by one', [
    s('S: NEWS2 3 (low-medium) 1.5 h ago, SBP 88 scoring 3.'),
    s('B: BP 88/54, HR 84, sats 97% RA.'),
    s('Meds: insulin glargine refused x3 (most recent doses).'),
    s('R: inform med team to decide; q1h obs.'),
  ]),
  // False: "no escalation needed, routine obs" — the low-medium response is to inform the medical team, 1-hourly monitoring.
  f('h4-red-no-escalation', 'red', 'false reassurance', [
    s('S: NEWS2 3 (low-medium) 1.5 h ago, SBP 88 scoring 3.'),
    s('A: no escalation needed, routine obs.'),
    s('Glargine refused x2.'),
  ]),

  // ===== partial =====
  // True: overdue (last set 9 h ago, overdue after 6 h); latest set partial, T and consciousness not recorded, partial NEWS2 2;
  // RR 20, SpO2 95 on air, HR 96, BP 114/72; Paracetamol 2 missed (22/24); Amoxicillin 15/15.
  t('h4-partial-sbar', 'partial', 'terse SBAR', [
    s('S: obs overdue — last set 9 h ago (overdue after 6 h).', 'vitals.overdue', 'vitals.hoursSinceLastObservation'),
    s('B: last set incomplete — T and consciousness not recorded; partial NEWS2 2.', 'news2.latest'),
    s('RR 20, sats 95% RA, HR 96, BP 114/72.', 'vitals.latest'),
    s('Meds: paracetamol missed x2 (22/24); amoxicillin 15/15.', 'adherence.meds'),
  ]),
  // True: partial NEWS2 2 from the 9 h set, T and consciousness missing, at least low risk; overdue after 6 h; Paracetamol
  // 2 missed; overall 95%.
  t('h4-partial-terse', 'partial', 'shorthand', [
    s('Partial NEWS2 2 (T and consciousness not recorded) from set 9 h ago — at least low risk.'),
    s('Obs overdue (>6 h).'),
    s('Paracetamol 2 doses missed; 95% adherence overall.'),
  ]),
  // True: overdue, last set 9 h ago; partial (consciousness, temperature missing), partial NEWS2 2; SpO2 95 (+1), HR 96 (+1);
  // response RN assesses, 4–6-hourly; Paracetamol 2 missed.
  t('h4-partial-isbar', 'partial', 'ISBAR', [
    s('I: obs overdue, last charted 9 h ago.'),
    s('S: latest set partial (consciousness + temp missing), NEWS2 2 partial.'),
    s('A: sats 95% (+1), HR 96 (+1).'),
    s('R: RN to assess and decide frequency/escalation; min q4–6h.'),
    s('Paracetamol: 2 missed.'),
  ]),
  // False: "full set" / NEWS2 2 as complete — the latest set is partial (consciousness and temperature not recorded).
  f('h4-partial-complete', 'partial', 'partial score as complete', [
    s('S: NEWS2 2 (low), full set 9 h ago.'),
    s('B: RR 20, sats 95% RA, HR 96, BP 114/72.'),
    s('A: obs overdue (>6 h).'),
    s('Paracetamol missed x2.'),
  ]),
  // False: leaves out that observations are overdue (9 h since the last set, overdue after 6 h); everything said is true.
  f('h4-partial-no-overdue', 'partial', 'overdue omitted', [
    s('S: partial NEWS2 2 (T + consciousness not recorded), last set 9 h ago.'),
    s('B: RR 20, sats 95% RA, HR 96.'),
    s('R: RN assess, q4–6h obs.'),
    s('Paracetamol missed x2.'),
  ]),

  // ===== rejected =====
  // True: latest set 1 h ago, SpO2 250 rejected as impossible (not scored), NEWS2 0 partial; RR 18, BP 136/82, HR 78, T 37.1,
  // A, on air; response RN assesses, 4–6-hourly; Amlodipine 7/7.
  t('h4-rejected-sbar', 'rejected', 'terse SBAR', [
    s('S: latest set 1 h ago — SpO2 250% rejected as impossible, not scored; NEWS2 0 is partial.', 'news2.latest'),
    s('B: RR 18, BP 136/82, HR 78, T 37.1, alert, on RA.', 'vitals.latest'),
    s('R: RN to assess and decide frequency/escalation; min q4–6h obs.', 'news2.latest.response'),
    s('Amlodipine 7/7 given.', 'adherence.meds.0'),
  ]),
  // True: partial NEWS2 0 low 1 h ago, SpO2 250 rejected; temperature 60 °C 50 h ago also rejected; RR 18, SBP 136, HR 78,
  // T 37.1; 100% adherence.
  t('h4-rejected-terse', 'rejected', 'shorthand', [
    s('Partial NEWS2 0 (low) 1 h ago: sats value 250% rejected as impossible.'),
    s('Earlier T 60 °C 50 h ago also rejected as impossible.'),
    s('Other obs: RR 18, SBP 136, HR 78, T 37.1.'),
    s('100% adherence.'),
  ]),
  // True: latest (1 h) SpO2 250 rejected, NEWS2 0 partial; 5 sets, each NEWS2 0; trend stable; 4–6-hourly.
  t('h4-rejected-isbar', 'rejected', 'ISBAR', [
    s('S: NEWS2 0 — partial, SpO2 rejected (250%, impossible) at the 1 h set.'),
    s('B: 5 sets in the window, NEWS2 0 at each; trend stable.'),
    s('R: RN assess, min q4–6h obs.'),
  ]),
  // False: "sats 250% RA" written as a reading — 250% was rejected as impossible and not scored.
  f('h4-rejected-as-reading', 'rejected', 'impossible value as a reading', [
    s('S: partial NEWS2 0 (low), 1 h ago.'),
    s('B: RR 18, sats 250% RA, BP 136/82, HR 78, T 37.1.'),
    s('R: q4–6h obs.'),
  ]),
  // False: "SpO2 not recorded" — SpO2 was recorded (250%) and rejected as impossible; the answer never says so.
  f('h4-rejected-not-recorded', 'rejected', 'rejected value called missing', [
    s('S: NEWS2 0 (low) 1 h ago, partial — SpO2 not recorded.'),
    s('B: RR 18, BP 136/82, HR 78, T 37.1.'),
    s('Amlodipine 7/7.'),
  ]),

  // ===== improving =====
  // True: scores 9 (60 h) → 1 (3 h), latest 1 low 3 h ago, trend falling; peak 9 high 60 h ago on O2 with RR 26 scoring 3;
  // latest on air: RR 19, SpO2 89 (scale 2), HR 92 (+1), BP 118/78, T 37.6; 4–6-hourly; Apixaban 14/14.
  t('h4-improving-sbar', 'improving', 'terse SBAR', [
    s('S: NEWS2 9→1 over the last 60 h; latest 1 (low) 3 h ago, trend ↓ falling.', 'news2.max', 'news2.latest', 'news2.trend'),
    s('B: peak 9 (high) 60 h ago on O2 with RR 26 (+3); now RA.', 'news2.max'),
    s('A: latest RR 19, sats 89% RA (scale 2), HR 92 (+1), BP 118/78, T 37.6.', 'vitals.latest'),
    s('R: RN to assess; min q4–6h obs.', 'news2.latest.response'),
    s('Apixaban 14/14 given.', 'adherence.meds.0'),
  ]),
  // True: scores 9, 7, 5, 3, 1, 1 (60 to 3 h ago), falling; the 24, 12 and 3 h sets on air; SpO2 89 on scale 2; pulse the only
  // scoring parameter (+1) at the latest set; 100% adherence.
  t('h4-improving-series', 'improving', 'arrows', [
    s('NEWS2 9→7→5→3→1→1 over the last 60 h (↓).'),
    s('RA for the last 24 h; sats 89% on scale 2.'),
    s('HR 92 only scoring param (+1).'),
    s('All meds given (100%).'),
  ]),
  // True: references for total/band/hoursAgo (1, low, 3 h); peak 9 high 60 h ago (2.5 days); SpO2 89 on air, scale 2; no missed doses.
  t('h4-improving-refs', 'improving', 'terse with references', [
    s('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}; falling from peak 9 (high) 2.5/7 ago.', 'news2'),
    s('{vitals.latest.spo2} RA, SpO2 scale 2.', 'vitals.latest', 'news2.scale'),
    s('No missed doses.', 'adherence'),
  ]),
  // False: "trend ↑" — the NEWS2 trend is falling (mean 1.7 over the latest 3 sets against 7 before).
  f('h4-improving-arrow', 'improving', 'trend arrow reversed', [
    s('S: latest NEWS2 1 (low), 3 h ago; trend ↑.'),
    s('B: peak 9 (high) 60 h ago, off O2 now.'),
    s('A: sats 89% RA (scale 2), HR 92.'),
  ]),
  // False: "sats 84% on RA" — 84% is the peak set's SpO2 (60 h ago, on oxygen); the latest set has 89% on air.
  f('h4-improving-wrong-set', 'improving', 'value from the wrong set (highest vs latest)', [
    s('S: NEWS2 1 (low) 3 h ago, ↓ from 9 (high) 60 h ago.'),
    s('B: sats 84% on RA, RR 19, HR 92.'),
    s('R: q4–6h obs.'),
  ]),
  // False: "SpO2 scale 1" — the patient is scored on SpO2 scale 2 (on scale 1, 89% would score 3).
  f('h4-improving-scale', 'improving', 'wrong SpO2 scale', [
    s('S: NEWS2 1 (low) 3 h ago, falling.'),
    s('B: sats 89% RA (SpO2 scale 1), RR 19, HR 92.'),
    s('Peak 9 (high) 60 h ago.'),
  ]),

  // ===== insulin =====
  // True: latest NEWS2 2 low 2 h ago, stable; SpO2 95 on air (+1), HR 92 (+1), RR 18, BP 122/76, T 37.0; Insulin aspart last 3
  // refused (18/21); Levetiracetam 1 missed (13/14); response RN assesses, 4–6-hourly.
  t('h4-insulin-sbar', 'insulin', 'terse SBAR', [
    s('S: NEWS2 2 (low) 2 h ago, stable.', 'news2.latest', 'news2.trend'),
    s('B: sats 95% RA (+1), HR 92 (+1), RR 18, BP 122/76, T 37.0.', 'vitals.latest'),
    s('Meds: insulin aspart refused x3 (last 3 doses, 18/21 given); levetiracetam missed x1 (13/14).', 'adherence.meds'),
    s('R: RN assess, min q4–6h obs.', 'news2.latest.response'),
  ]),
  // True: aspart's 3 refusals are the last 3 doses (due 1, 9 and 17 h ago); Levetiracetam 1 missed; NEWS2 2 low (SpO2 95 +1,
  // HR 92 +1) 2 h ago; overall 94% (59/63).
  t('h4-insulin-terse', 'insulin', 'shorthand', [
    s('Critical meds: aspart refused ×3 in a row in the last 24 h; levetiracetam 1 dose missed.'),
    s('NEWS2 2 low (sats 95 +1, HR 92 +1), obs 2 h ago.'),
    s('Overall adherence 94% (59/63).'),
  ]),
  // False: "86% overall" — overall adherence is 94% (59/63); 86% is Insulin aspart's own figure.
  f('h4-insulin-adh-pct', 'insulin', 'wrong adherence %', [
    s('S: NEWS2 2 (low) 2 h ago.'),
    s('Adherence 86% overall: aspart refused x3, levetiracetam missed x1.'),
  ]),
  // False: "Insulin glargine" — the refused insulin is Insulin aspart (glargine is not on this patient's chart).
  f('h4-insulin-wrong-drug', 'insulin', 'wrong medicine', [
    s('S: NEWS2 2 (low), 2 h ago, stable.'),
    s('Meds: insulin glargine refused x3 (last 3 doses); levetiracetam missed x1.'),
  ]),
  // False: "obs 2/7 ago" — the last set was 2 hours ago, not 2 days.
  f('h4-insulin-time-unit', 'insulin', 'time unit wrong', [
    s('S: NEWS2 2 (low), last obs 2/7 ago.'),
    s('Meds: aspart refused x3 in a row; levetiracetam missed x1.'),
  ]),
];
