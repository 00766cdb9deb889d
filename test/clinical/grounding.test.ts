// Grounding, claim by claim: one table per claim rule (values, sets, bands, trends, reassurance, partial, time, counts), citations as hints, references, what must be said, linear scans.
import { buildFacts, defaultClinicalOptions, type VitalSigns } from '../../src/clinical';
import { describeProblems, groundAnswer, groundSentences } from '../../src/clinical/grounding';
import { deterioratingWeek, hoursAgo, now, vitals, week } from './fixtures';

/**
 * The deteriorating week (test/clinical/fixtures.ts): NEWS2 0 (72 h ago), 3 (48 h), 4 (24 h), 7 (2.5 h, high,
 * RR 25 scoring 3); latest RR 25, SpO2 94 % on oxygen, BP 120/75, pulse 91, alert, 37.84 °C; trend rising,
 * means 5.5 and 1.5; Apixaban 2 of 4 missed (the last 2, 50 %), paracetamol 4 of 4, overall 75 %; a fall flagged.
 */
const facts = buildFacts(deterioratingWeek(), now, defaultClinicalOptions);
const factsOf = (observations: VitalSigns[], extra: Parameters<typeof week>[0] = {}) =>
  buildFacts(week({ observations, ...extra }), now, defaultClinicalOptions);

/** The claims of one sentence no fact supports, as written (what the whole answer leaves out is tested below). */
const unsupported = (text: string, f = facts, cited: string[] = []) =>
  (groundSentences([{ text, facts: cited }], f).findings ?? []).map((x) => x.claim);

test('the fixture is what the chart says (guards the tables below)', () => {
  expect(facts.news2.scores.map((s) => [s.total, s.hoursAgo])).toEqual([
    [0, 72],
    [3, 48],
    [4, 24],
    [7, 2.5],
  ]);
  expect(facts.news2.latest).toMatchObject({
    total: 7,
    band: 'high',
    anySingleThree: true,
    values: { respiratoryRate: 25, spo2: 94, heartRate: 91, systolicBp: 120, diastolicBp: 75 },
  });
  expect(facts.news2.trend).toEqual({ direction: 'rising', setsCompared: 2, recentMean: 5.5, previousMean: 1.5 });
  expect(facts.adherence).toMatchObject({ overallPct: 75, due: 8, given: 6, missed: 2, refused: 0 });
  expect(facts.adherence.meds[0]).toMatchObject({ drug: 'Apixaban', due: 4, given: 2, missed: 2, pct: 50, currentMissedRun: 2 });
});

describe('parameter + value + unit, bound to the parameter it names', () => {
  test.each([
    'SpO2 94%',
    'sats 94% on oxygen',
    'saturations of 94%',
    'O2 sats 94',
    'oxygen saturation 94%',
    'SpO₂ 94 %',
    'HR 91',
    'pulse 91/min',
    'heart rate of 91 bpm',
    'heart-rate 91',
    'RR 25',
    'resp rate 25/min',
    'respiratory rate of 25 breaths per minute',
    'respirations 25',
    'BP 120/75',
    'BP 120/75 mmHg',
    'blood pressure 120/75',
    'systolic 120 mmHg',
    'SBP 120',
    'temp 37.8 °C',
    'temperature 38 °C',
    'temperature 37.84 °C',
    'T 37.8',
    'NEWS2 7',
    'NEWS 2 score of 7',
    'NEWS2 score is 7',
    'a NEWS-2 of 7',
    'NEWS2 seven',
    'RR 25 and SpO2 94% with a heart rate of 91',
  ])('true: %s', (text) => {
    expect(unsupported(text)).toEqual([]);
  });

  test.each([
    // Swapped: both numbers are facts, neither of the parameter it is written against.
    ['SpO2 91% and heart rate 94/min', ['SpO2 91%', 'heart rate 94/min']],
    ['RR 91, pulse 25', ['RR 91', 'pulse 25']],
    ['BP 75/120 mmHg', ['BP 75/120 mmHg']],
    ['temperature 37.9 °C', ['temperature 37.9 °C']],
    ['temperature 37.80 °C', ['temperature 37.80 °C']], // two decimals claim 37.795–37.805
    ['NEWS2 0', ['NEWS2 0']], // 0 is a sub-score, never a NEWS2 here
    ['NEWS2 of 4', ['NEWS2 of 4']], // an earlier set's, said as the latest
    ['pulse 140/min', ['pulse 140/min']],
    ['GCS 15', ['15']],
    ['blood glucose 6.2 mmol/L', ['6.2 mmol/L']],
    ['SpO2 94% on 2 L of oxygen', ['2 L']],
    ['heart rate 94 bpm', ['heart rate 94 bpm']],
    ['pain 7/10', ['7/10', 'pain']], // no note is flagged pain either
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('the set a claim is about: latest unless the sentence says otherwise', () => {
  test.each([
    'NEWS2 peaked at 7',
    'highest NEWS2 this week was 7',
    'NEWS2 was 4 a day earlier',
    'NEWS2 7, up from 4 24 hours ago',
    'previously 3 on NEWS2',
    'NEWS2 rose from 0 to 7',
    'NEWS2 climbed from 3 to 4 and then 7',
    'NEWS2 mean 5.5 against 1.5 before',
    'NEWS2 0 three days ago',
    'NEWS2 rose from 0 to 3, 4 and now 7',
  ])('true: %s', (text) => {
    expect(unsupported(text)).toEqual([]);
  });

  test.each([
    ['NEWS2 peaked at 4', ['NEWS2 peaked at 4']],
    ['NEWS2 rose from 4 to 6', ['6']],
    ['NEWS2 fell from 4 to 7', ['fell']],
    ['NEWS2 was 3 24 hours ago', ['NEWS2 was 3']],
    ['NEWS2 was 9 earlier', ['NEWS2 was 9']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('rules the held-out set found (each a bug first)', () => {
  const normal = factsOf([
    vitals({ id: 'a', takenAt: hoursAgo(13), heartRate: 68 }),
    vitals({ id: 'b', takenAt: hoursAgo(1), heartRate: 72 }),
  ]);
  test.each([
    // "every set" quantifies its own clause: the heart rate after it is the latest set's.
    ['Every set scored NEWS2 0, most recently 1 hour ago, with a heart rate of 72/min.', normal, []],
    // "due" describes the doses; "refused" is the count's kind.
    ['Apixaban was missed at the last 2 due doses.', facts, []],
    // A kind before "and" is the earlier count's.
    ['Paracetamol was given and 2 Apixaban doses were missed.', facts, []],
    ['Apixaban: 2 missed and 4 paracetamol doses given.', facts, []],
    // A number word after "from" is a value.
    ['NEWS2 seven, high risk, up from four a day earlier.', facts, []],
    ['NEWS2 seven, up from five a day earlier.', facts, ['five']],
    // Found by the second held-out run.
    ['NEWS2 7 at the 2.5-hour set.', facts, []],
    ['NEWS2 7 at the 5-hour set.', facts, ['NEWS2 7', '5-hour']],
    ['1) NEWS2 7, high risk.', facts, []],
    ['2. Apixaban: 2 missed.', facts, []],
    [
      'The score has been between 2 and 3.',
      factsOf([
        vitals({ id: 'a', takenAt: hoursAgo(20), respiratoryRate: 21 }),
        vitals({ id: 'b', takenAt: hoursAgo(8), respiratoryRate: 21, heartRate: 95 }),
      ]),
      [],
    ],
    ['The score between 5 and 6.', facts, ['5 and 6']],
    ['A full set of observations is overdue.', factsOf([vitals({ takenAt: hoursAgo(9), temperatureC: null })]), []],
  ] as const)('%s → %j', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('rules the third held-out set found, and a range that hid a score (each a bug first)', () => {
  const partialSet = factsOf([vitals({ id: 'a', takenAt: hoursAgo(1), temperatureC: null })]);
  test.each([
    // A range is one claim about every set it covers, never two claims that each end occurs somewhere.
    ['Over the week NEWS2 was between 0 and 4.', facts, ['0 and 4']],
    ['The score has been between 3 and 4.', facts, ['3 and 4']],
    ['The score has been between 4 and 7.', facts, []],
    ['NEWS2 has ranged 3–7 over the last two days.', facts, []],
    ['NEWS2 has ranged 3–4 over the last two days.', facts, ['3-4']],
    ['Trend rising (0–7 across all four sets).', facts, []],
    ['Trend rising (3–7 across all four sets).', facts, ['3-7']],
    ['Heart rate 72–91/min this week.', facts, ['72-91']],
    // A "when" clause after a dated set is about that set.
    ['NEWS2 was 3 48 h ago, when RR was 21 and pulse 95.', facts, []],
    ['NEWS2 was 3 48 h ago, when RR was 25.', facts, ['RR was 25']],
    ['NEWS2 was 3 48 h ago, when RR was 21; now RR 25.', facts, []],
    // "may be higher" of a partial score says what partial means.
    ['Partial NEWS2 0: temperature not recorded, so the true score may be higher.', partialSet, []],
    // "not all given", "not fully taken": some doses were not.
    ['Apixaban not fully taken: 2 missed.', facts, []],
    ['Paracetamol not fully taken.', facts, ['taken']],
    ['Not all doses were given.', facts, []],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('rules the fourth and fifth held-out sets found (each a bug first)', () => {
  const low = factsOf([vitals({ takenAt: hoursAgo(1), respiratoryRate: 21 })]);
  test.each([
    // Ward shorthand: "q4–6h", arrows, "1/7 ago", "single 3: RR 25".
    ['Min q4–6h obs.', low, []],
    ['Min q4–6h obs.', facts, ['q4-6h']],
    ['NEWS2 0→3→4→7 over 72 h.', facts, []],
    ['NEWS2 0->7.', facts, []],
    ['NEWS2 0→4→3→7.', facts, ['0→4→3→7']],
    ['NEWS2 3→7→4.', facts, ['3→7→4']],
    ['NEWS2 4 1/7 ago.', facts, []],
    ['Last set 2.5/7 ago.', facts, ['2.5/7 ago']],
    ['No single param scoring 3.', low, []],
    ['No single param scoring 3.', facts, ['single']],
    ['NEWS2 7 high (single 3: RR 25).', facts, []],
    ['NEWS2 7 high (single 3: HR 91).', facts, ['3']],
    ['Peak 7 (high), 2.5 h ago.', facts, []],
    ['Peak 9 (high).', facts, ['9']],
    // Prose: "two of its four due doses", a bracket's count, "overall," alone, "every one of", "the score", "through".
    ['Two of its four due doses of Apixaban have not been given.', facts, []],
    ['Apixaban was missed on the last two occasions (two of four doses).', facts, []],
    ['Apixaban: 2 missed; overall, 6 of 8 due doses were given.', facts, []],
    ['Every one of the 4 paracetamol doses was given.', facts, []],
    ['The score has been rising, up from 4 at the set 24 hours ago.', facts, []],
    ['The score has been stable.', facts, ['stable']],
    ['SpO2 94% scores 1 and is lower than before.', facts, []],
    ['NEWS2 rose from 0 through 3 and 4 to 7.', facts, []],
    ['NEWS2 has risen over the last 3 sets.', facts, []],
    ['NEWS2 has risen over the last 9 sets.', facts, ['9 sets']],
    // "the last N" says how many: understating a run of missed doses is false (2 were missed in a row).
    ['The last 2 doses of Apixaban were missed.', facts, []],
    ['The last 3 doses of Apixaban were missed.', facts, ['3']],
    ['Apixaban: the last one missed.', facts, ['one']],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('rules the sixth held-out set found (each a bug first)', () => {
  const low = factsOf([vitals({ takenAt: hoursAgo(1), respiratoryRate: 21 })]);
  const twoSets = factsOf([
    vitals({ id: 'a', takenAt: hoursAgo(20), respiratoryRate: 21 }),
    vitals({ id: 'b', takenAt: hoursAgo(8), respiratoryRate: 21, heartRate: 95 }),
  ]);
  // Levetiracetam: one dose missed, then three given (the missed one is not the latest).
  const earlyMiss = factsOf([vitals({ takenAt: hoursAgo(1) })], {
    medications: [{ orderId: 'lev', drug: 'Levetiracetam', drugClass: 'antiepileptic' }],
    administrations: (['missed', 'given', 'given', 'given'] as const).map((status, i) => ({
      id: `lev-${i}`,
      orderId: 'lev',
      dueAt: hoursAgo(40 - i * 8),
      status,
    })),
  });
  test.each([
    // "the last dose was missed" says the current run is at least one.
    ['The last dose of Apixaban was missed.', facts, []],
    ['Levetiracetam: the most recent dose was missed (1 of 4).', earlyMiss, ['1 of 4', 'missed']],
    ['Levetiracetam: 1 missed dose (3 of 4).', earlyMiss, []],
    ['Paracetamol: 0 missed doses (4 of 4).', facts, []],
    ['The most recent Paracetamol dose was missed.', facts, ['missed']],
    // A bracket restating the count takes its kind; another number in brackets is what was given.
    ['The last two Apixaban doses were missed (2 of 4 due).', facts, []],
    ['Paracetamol: none missed (4 of 4).', facts, []],
    ['Apixaban: 2 missed (2 of 4).', facts, []],
    // A negation earlier in the clause; "nothing else" is left to what must be said.
    ['No doses of Paracetamol were refused.', facts, []],
    ['Apixaban: 2 missed; nothing else critical was missed or refused.', facts, []],
    ['No critical medicines were missed.', low, []],
    // Lists of times with one unit, and "Trend:" as a heading.
    ['Sets were taken 48 and 24 hours ago.', facts, []],
    ['Sets were taken 48 and 30 hours ago.', facts, ['30 hours ago']],
    ['Trend: rising.', facts, []],
    ['Trend: stable.', facts, ['stable']],
    // "5 or 6 on every set": a range.
    ['The score has been 2 or 3 on every set.', twoSets, []],
    ['NEWS2 has been 3 or 4 over the last 2 days.', facts, ['3 or 4']],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('rules the seventh held-out set found (each a bug first)', () => {
  const low = factsOf([vitals({ takenAt: hoursAgo(1), respiratoryRate: 21 })]);
  const noTemperature = factsOf([vitals({ takenAt: hoursAgo(1), temperatureC: null, consciousness: null })]);
  test.each([
    // "at least hourly" where continuous monitoring is due understates it; more often than due does not.
    ['Observe at least hourly.', facts, ['hourly']],
    ['Observations at least 12-hourly.', low, ['12-hourly']],
    ['Observations at least hourly.', low, ['hourly']],
    ['Observations at least 4–6-hourly.', low, []],
    ['Continuous monitoring.', facts, []],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
  // The service writes "partial" into a referenced total itself: the answer must still say what was not recorded.
  test.each([
    [['{news2.latest.total} (low risk), {news2.latest.hoursAgo}.'], ['the latest set is partial: consciousness, temperature not recorded']],
    [['Partial NEWS2 0: temperature not recorded.'], ['the latest set is partial: consciousness, temperature not recorded']],
    [['Partial NEWS2 0 (consciousness and temperature not recorded).'], []],
    [['NEWS2 0, incomplete: consciousness, temperature not recorded.'], []],
    [['Partial NEWS2 0: no temperature or consciousness level recorded.'], []],
    [['The set is incomplete, as neither temperature nor consciousness was recorded.'], []],
    [['Partial NEWS2 0: no temperature.'], ['the latest set is partial: consciousness, temperature not recorded']],
  ])('%j → omitted %j', (texts, omitted) => {
    const { check } = groundAnswer(
      texts.map((text) => ({ text, facts: [] })),
      noTemperature,
    );
    expect(check.omitted).toEqual(omitted);
  });
});

describe('rules the eighth held-out set found, and negative contractions (each a bug first)', () => {
  const onAir = factsOf([vitals({ takenAt: hoursAgo(1), heartRate: 92 })]);
  const allGiven = buildFacts(
    deterioratingWeek({
      administrations: ['apx', 'par'].flatMap((orderId) =>
        [0, 1, 2, 3].map((i) => ({ id: `${orderId}-${i}`, orderId, dueAt: hoursAgo(40 - i * 8), status: 'given' as const })),
      ),
    }),
    now,
    defaultClinicalOptions,
  );
  test.each([
    // "n't" is a "not": before, each of these false sentences was accepted as if the "n't" were not there.
    ["She isn't on oxygen.", facts, ["n't on oxygen"]],
    ["The NEWS2 isn't high.", facts, ['high']],
    ["Apixaban doses weren't missed.", facts, ['missed']],
    ["She doesn't need escalation.", facts, ["doesn't need escalation"]],
    ["The trend isn't rising.", facts, ['rising']],
    ["Observations aren't overdue.", facts, []],
    // Oxygen in the words models use (before: no claim, so "remains on supplemental O2" passed for a patient on air).
    ['Remains on supplemental O2.', onAir, ['on supplemental O2']],
    ['Remains on supplemental O2.', facts, []],
    ['No supplemental oxygen needed.', facts, ['supplemental oxygen needed']],
    ['No supplemental oxygen needed.', onAir, []],
    ['Saturating well without supplemental O2.', onAir, []],
    // A single-parameter 3 is not the next parameter's ("…, plus SpO2 94%").
    ['Driven by RR 25, a single-parameter 3, plus pulse 91 (+1).', facts, []],
    // A bare 0–3 after a parameter that never reads so low, in a sentence about scores, is its sub-score.
    ['Pulse 91: scoring, but only a 1.', facts, []],
    ['Pulse 91: scoring, but a 3.', facts, ['3']],
    // A parameter inside a closed bracket is not the subject of a number after it.
    ['NEWS2 now 7 (RR 25, SpO2 94%), up from 4.', facts, []],
    // The medicine written right before a count is its subject, even in a clause that says "all".
    ['All meds given (Apixaban 4/4, paracetamol 4/4).', allGiven, []],
    ['All meds given (Apixaban 3/4, paracetamol 4/4).', allGiven, ['3/4']],
    ['Overall 8/8 given.', allGiven, []],
    ['Overall 7/8 given.', allGiven, ['7/8']],
    // "N missed of M due".
    ['Apixaban: 2 missed of 4 due.', facts, []],
    ['Apixaban: 2 missed of 5 due.', facts, ['2 missed of 5']],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('false sentences a red-team read accepted (each a bug first)', () => {
  // facts: latest NEWS2 7 (high), 2.5 h ago, rising; RR 25 (3), SpO2 94 % on oxygen, pulse 91, 37.84 °C; Apixaban 2 of 4
  // missed, the last 2; paracetamol 4 of 4. `low`: one set, NEWS2 3 from SBP 88 alone (single 3, low-medium), on air.
  const low = factsOf([vitals({ takenAt: hoursAgo(1), systolicBp: 88 })]);
  // One set 9 h ago without temperature or consciousness: partial, and overdue (after 6 h).
  const noTemperatureOverdue = factsOf([vitals({ takenAt: hoursAgo(9), temperatureC: null, consciousness: null })], {});
  // High (11) on oxygen 30 h ago, 0 on air now.
  const recovered = factsOf([
    vitals({ id: 'then', takenAt: hoursAgo(30), respiratoryRate: 25, spo2: 91, onOxygen: true, heartRate: 131 }),
    vitals({ id: 'now', takenAt: hoursAgo(2) }),
  ]);
  test.each([
    // A qualifier right after a number is about it, whatever an earlier one said.
    ['NEWS2 was 4 earlier and 0 at the latest set.', facts, ['0']],
    ['NEWS2 previously 4, 0 now.', facts, ['0']],
    ['NEWS2 was 4 yesterday, today it is 0.', facts, ['0']],
    ['NEWS2 previously 4, now 7.', facts, []],
    // "About" is ±5 %, and never across a score: "about 8" is not 7.
    ['NEWS2 of about 8.', facts, ['NEWS2 of about 8']],
    ['SpO2 around 100%.', facts, ['SpO2 around 100%']],
    ['SpO2 around 95%.', facts, []],
    // A negated bound is the other bound; "less than", "above" are strict.
    ['SpO2 never dropped below 96%.', facts, ['96%']],
    ['SpO2 no less than 92%.', facts, []],
    ['NEWS2 less than 7.', facts, ['NEWS2 less than 7']],
    ['RR above 25.', facts, ['RR above 25']],
    ['NEWS2 over 6 in the last 72 h.', facts, []],
    // A response said not to be needed is a claim, false where the band calls for it; putting it off too.
    ['No need for emergency assessment.', facts, ['emergency assessment']],
    ['Critical care review is not required.', facts, ['Critical care']],
    ['No need to call the doctor.', facts, ['call the doctor']],
    ['This can wait until the morning.', facts, ['wait until the morning']],
    ['No need for emergency assessment.', low, []],
    // A medicine said to be given, with no count, is all of its doses; the last dose given is a run of 0.
    ['Apixaban has been given as prescribed.', facts, ['given as prescribed']],
    ['She is adherent to Apixaban.', facts, ['adherent']],
    ['The last dose of Apixaban was given.', facts, ['given']],
    ['Paracetamol given as prescribed.', facts, []],
    // "neither … nor", "non-", "free of", "has resolved", "ruled out" deny what they name.
    ['Neither tachypnoeic nor tachycardic.', facts, ['tachypnoeic']],
    ['Hypotension has resolved.', low, ['Hypotension']],
    ['Hypotension ruled out.', low, ['Hypotension']],
    ['Non-hypotensive.', low, ['hypotensive']],
    // A frequency of a range ("4–6-hourly") is about the set the clause is about; number words; "every 1 day".
    ['Observations 4-6 hourly.', facts, ['4-6 hourly']],
    ['Observations six-hourly.', low, ['six-hourly']],
    ['Observations every 1 day.', low, ['every 1 day']],
    // Values in words.
    ['The latest NEWS2 is zero.', facts, ['NEWS2 is zero']],
    ['Respiratory rate of sixteen.', facts, ['Respiratory rate of sixteen']],
    ['NEWS2 is seven.', facts, []],
    // Band words hyphenated, and "the score".
    ['She is medium-risk.', facts, ['medium-risk']],
    ['The score is low.', low, ['low']],
    // Saturation words.
    ['Sats good.', low, []],
    ['Saturating well on air.', factsOf([vitals({ takenAt: hoursAgo(1), spo2: 88 })]), ['Saturating well']],
    // A real reading called an error.
    ['The SpO2 of 94% is likely artefact.', facts, ['SpO2 of 94%']],
    ['BP 88/75, thought to be a cuff error.', low, ['BP 88/75']],
    // Oxygen, concern and trend words models use.
    ['She does not require oxygen.', facts, ['require oxygen']],
    ['Oxygen has been discontinued.', facts, ['Oxygen has been discontinued']],
    ['She is not on any oxygen.', facts, ['on any oxygen']],
    ['The NEWS2 of 7 is not concerning.', facts, ['not concerning']],
    ['NEWS2 has levelled off.', facts, ['levelled off']],
    ['NEWS2 trending downwards.', facts, ['downwards']],
    // A state over every set when the clause says so ("throughout", "never").
    ['She has never been high risk.', recovered, ['high risk']],
    ['She has been on room air throughout.', recovered, ['on room air']],
    ['Never hypoxic.', recovered, ['hypoxic']],
    ['Low risk now.', recovered, []],
    ['Alert throughout.', recovered, []],
    // "Higher earlier" is a fall since; "higher than yesterday" a rise.
    ['NEWS2 was higher earlier.', facts, ['higher']],
    ['NEWS2 higher than yesterday.', facts, []],
    // A sub-score denied.
    ['SpO2 94% did not score.', facts, ['score']],
    ['Oxygen did not contribute to the score.', facts, ['contribute']],
    ['RR 25 scored zero.', facts, ['zero']],
    ['RR 25 scores three points.', facts, []],
    // A partial set said to be complete in words; overdue observations said to be on time.
    ['Nothing is missing from the latest set.', noTemperatureOverdue, ['missing']],
    ['The set is not incomplete.', noTemperatureOverdue, ['incomplete']],
    ['No observations are outstanding.', noTemperatureOverdue, ['outstanding']],
    ['Last set 9 h ago, within the expected interval.', noTemperatureOverdue, ['within the expected interval']],
    ['Nothing is missing from the latest set.', low, []],
    // A parameter glued to its value; "on one occasion"; a negation after the dose word or its colon.
    ['RR20.', facts, ['RR20']],
    ['HR91bpm, RR25.', facts, []],
    ['Apixaban missed on one occasion.', facts, ['one']],
    ['Apixaban missed on two occasions.', facts, []],
    ['She missed no critical medicines.', facts, ['missed']],
    ['Apixaban missed: no.', facts, ['missed']],
    ['Not a single Apixaban dose was missed.', facts, ['missed']],
    ['Paracetamol missed: none.', facts, []],
    // Medicines by what they are for.
    ['2 doses of her pain relief were missed.', facts, ['2']],
    ['Her blood-thinning medication was missed twice.', facts, []],
    ['One dose of her blood thinner was missed.', facts, ['One']],
    // A threshold's interval is not the set's age.
    ['Last set 9 h ago, against an expected interval of no more than 12 hours.', facts, ['9 h ago']],
  ] as const)('%s', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('band and risk words against the band of that set', () => {
  const red = factsOf([vitals({ systolicBp: 88, diastolicBp: 50 })]); // a single 3: NEWS2 3, low-medium
  test.each([
    ['NEWS2 7 (high risk)', facts],
    ['high clinical risk (NEWS2 7)', facts],
    ['a red score: RR 25 scores 3 on its own', facts],
    ['NEWS2 3, low-medium risk', red],
    ['low-medium: systolic 88 is a red score', red],
    ['NEWS2 3 (low-medium) because SBP 88 = 3', red],
  ])('true: %s', (text, f) => {
    expect(unsupported(text, f)).toEqual([]);
  });
  test.each([
    ['NEWS2 7 (medium risk)', facts, ['medium risk']],
    ['NEWS2 7, low risk', facts, ['low risk']],
    ['NEWS2 3 (low risk)', red, ['low risk']],
    ['NEWS2 3; no single parameter scores 3', red, ['single parameter']],
    ['NEWS2 3 (medium risk)', red, ['medium risk']],
  ])('false: %s → %j', (text, f, claims) => {
    expect(unsupported(text, f)).toEqual(claims);
  });
});

describe('trend words against the trend', () => {
  test.each([
    'NEWS2 rising',
    'NEWS2 trend worsening',
    'the patient is deteriorating',
    'NEWS2 trending up',
    'respiratory rate rising',
    'heart rate increasing',
  ])('true: %s', (text) => {
    expect(unsupported(text)).toEqual([]);
  });
  test.each([
    ['NEWS2 improving', ['improving']],
    ['the NEWS2 trend is falling', ['falling']],
    ['NEWS2 stable', ['stable']],
    ['NEWS2 unchanged over the week', ['unchanged']],
    ['the patient is improving', ['improving']],
    ['heart rate falling', ['falling']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('reassurance against the scores it implies', () => {
  const normal = factsOf([vitals({ id: 'a', takenAt: hoursAgo(13) }), vitals({ id: 'b', takenAt: hoursAgo(1) })]);
  const reassurance = [
    'All observations are normal.',
    'Observations within normal range.',
    'Observations unremarkable.',
    'The patient is stable.',
    'Clinically stable.',
    'No escalation needed.',
    'Routine monitoring only.',
    'No concerns.',
    'Obs WNL.',
    'Observations fine.',
    'No deterioration.',
  ];
  test.each(reassurance)('false for a NEWS2 of 7: %s', (text) => {
    expect(unsupported(text)).not.toEqual([]);
  });
  test.each(reassurance)('true for a NEWS2 of 0 on every set: %s', (text) => {
    expect(unsupported(text, normal)).toEqual([]);
  });
  test.each([
    ['temperature normal', []],
    ['normal blood pressure', []],
    ['respiratory rate normal', ['normal']],
    ['otherwise unremarkable', ['unremarkable']],
    ['RR 25 scores 3, SpO2 94% on oxygen, pulse 91; otherwise unremarkable', []],
    ['afebrile', []], // 37.84 °C: neither plainly febrile nor plainly not, so either word passes
    ['tachycardic', []], // 91 scores 1: not plainly false
    ['tachypnoeic at 25/min', []],
    ['hypotensive', ['hypotensive']],
    ['on oxygen', []],
    ['on room air', ['on room air']],
    ['alert', []],
    ['newly confused', ['confused']],
    ['not confused', []],
    ['NEWS2 7, not high risk', ['high risk']],
    ['NEWS2 7, not low risk', []],
    ['NEWS2 no longer rising', ['rising']],
    ['NEWS2 7 and not improving', []],
  ])('a parameter: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('state words are false only where the value plainly contradicts them', () => {
  const at = (temperatureC: number, heartRate = 70) => factsOf([vitals({ temperatureC, heartRate })]);
  test.each([
    ['febrile', 38.4, 70, []],
    ['febrile', 36.8, 70, ['febrile']],
    ['afebrile', 38.4, 70, ['afebrile']],
    ['afebrile', 36.8, 70, []],
    ['tachycardic', 36.8, 120, []],
    ['tachycardic', 36.8, 72, ['tachycardic']],
    ['bradycardic', 36.8, 45, []],
    ['bradycardic', 36.8, 72, ['bradycardic']],
    // Negated: false where the word is plainly true.
    ['not tachycardic', 36.8, 120, ['tachycardic']],
    ['not tachycardic', 36.8, 72, []],
    ['not febrile', 38.4, 70, ['febrile']],
    ['not febrile', 36.8, 70, []],
  ] as const)('%s at %d °C, pulse %d → %j', (text, temperature, pulse, claims) => {
    expect(unsupported(text, at(temperature, pulse))).toEqual(claims);
  });
});

describe('partial sets must be called partial', () => {
  const partial = factsOf([vitals({ takenAt: hoursAgo(2), respiratoryRate: 21, temperatureC: null, consciousness: null })]);
  test.each([
    'Partial NEWS2 of 2 (temperature and consciousness not recorded).',
    'The set is incomplete: temperature was not recorded, so the NEWS2 of 2 is partial.',
    'NEWS2 at least 2 from an incomplete set.',
  ])('true: %s', (text) => {
    expect(unsupported(text, partial)).toEqual([]);
  });
  test.each([
    ['NEWS2 2.', ['NEWS2 2']],
    ['NEWS2 2 (low risk), all parameters recorded.', ['NEWS2 2', 'all parameters recorded']],
    ['Partial NEWS2 of 2; alert.', ['alert']],
    ['Partial NEWS2 of 2; respiratory rate not recorded.', ['not recorded']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text, partial)).toEqual(claims);
  });
});

describe('impossible values are rejected values, never readings', () => {
  const rejected = factsOf([vitals({ takenAt: hoursAgo(1), spo2: 250 })]);
  test.each([
    'SpO2 250% was rejected as impossible, so NEWS2 0 is partial.',
    'The charted SpO2 of 250% is a charting error: NEWS2 partial at 0.',
  ])('true: %s', (text) => {
    expect(unsupported(text, rejected)).toEqual([]);
  });
  test.each([
    ['SpO2 250%, partial NEWS2 0.', ['SpO2 250%']],
    ['NEWS2 0.', ['NEWS2 0']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text, rejected)).toEqual(claims);
  });
});

describe('time expressions, with the unit checked', () => {
  test.each([
    'Latest NEWS2 7, 2.5 hours ago.',
    'NEWS2 7 about 2 hours ago.',
    'NEWS2 7, recorded 150 minutes ago.',
    'last observations 2.5 h ago',
    'NEWS2 0 three days ago',
    'NEWS2 4 a day earlier',
    'no observations for 2.5 hours',
    'observations are overdue after 6 h',
  ])('true: %s', (text) => {
    expect(unsupported(text)).toEqual([]);
  });
  test.each([
    // A dated NEWS2 is that set's: no set has it then, so both claims are unsupported.
    ['NEWS2 7, 2.5 minutes ago.', ['NEWS2 7', '2.5 minutes ago']],
    ['NEWS2 7, 2.5 days ago.', ['NEWS2 7', '2.5 days ago']],
    ['NEWS2 7, 4 hours ago.', ['NEWS2 7', '4 hours ago']],
    ['Observations at 14:00 were abnormal.', ['14:00']],
    ['Seen on 04/03/2025.', ['04/03/2025']],
    ['NEWS2 7 at 8 am.', ['8 am']],
    ['Unchanged since 2025.', ['2025', 'Unchanged']],
    ['Observations are overdue.', ['overdue']],
    ['Apixaban missed for 2 days.', ['2 days']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('counts, in digits, words and shorthand, against the medicine named', () => {
  test.each([
    'Apixaban: 2 missed.',
    'Apixaban: 2 of 4 doses missed.',
    'Two missed doses of Apixaban.',
    'Apixaban missed x2.',
    'Apixaban ×2 missed.',
    'Apixaban 2/4 given.',
    'Apixaban adherence 50%.',
    'Apixaban missed twice.',
    'The last 2 Apixaban doses were missed.',
    'Apixaban: 2 missed in a row.',
    'Overall adherence 75%.',
    '6 of 8 doses given overall.',
    'Paracetamol: all doses given.',
    'No paracetamol doses missed.',
    'Anticoagulant: 2 missed.',
    'Apixaban (anticoagulant) 2 missed, 0 refused.',
    'No doses refused.',
  ])('true: %s', (text) => {
    expect(unsupported(text)).toEqual([]);
  });
  test.each([
    ['Apixaban missed x3.', ['x3']],
    ['Apixaban: three missed doses.', ['three']],
    ['Apixaban: 2 of 14 doses missed.', ['2 of 14']],
    ['Apixaban adherence 75%.', ['75%']],
    ['Paracetamol: 2 missed.', ['2']],
    ['Apixaban: no missed doses.', ['missed']],
    ['Warfarin: 2 missed.', ['2', 'Warfarin']],
    ['All doses given.', ['given']],
    ['All medicines taken as prescribed.', ['taken as prescribed']],
    ['Paracetamol missed.', ['missed']],
    ['Apixaban: 4 doses missed in a row.', ['4']],
  ])('false: %s → %j', (text, claims) => {
    expect(unsupported(text)).toEqual(claims);
  });
});

describe('citations are hints', () => {
  test.each([
    // One hop off: the sibling path of the same set, no hours-ago path, the wrong index for the medicine named.
    ['NEWS2 7 (high risk), 2.5 hours ago.', ['vitals.latest']],
    ['Heart rate 91, RR 25.', ['news2.latest']],
    ['Apixaban: 2 doses missed in a row.', ['adherence.meds.1']],
    ['2 doses missed in a row.', ['adherence.meds.0']], // no medicine named: the cited one is the referent
    ['NEWS2 7.', ['news2.constructor']],
  ])('true however cited: %s %j', (text, cited) => {
    expect(unsupported(text, facts, cited)).toEqual([]);
  });
  test.each([
    // A parent path admits nothing the sentence does not bind: 0 is a sub-score under news2.latest, not a NEWS2.
    ['NEWS2 is 0.', ['news2.latest'], ['NEWS2 is 0']],
    ['NEWS2 is 0 and no doses were refused.', ['news2.latest', 'adherence.refused'], ['NEWS2 is 0']],
    ['SpO2 25%.', ['vitals.latest'], ['SpO2 25%']],
    ['2 doses missed in a row.', [], ['2']], // overall counts have no run
  ])('false however cited: %s %j', (text, cited, claims) => {
    expect(unsupported(text, facts, cited)).toEqual(claims);
  });
});

describe('fact references ("{path}") are written out with label and unit, then checked like any text', () => {
  test.each([
    ['{news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.', 'NEWS2 7 (high risk), 2.5 h ago.'],
    ['Latest {vitals.latest.spo2} on oxygen.', 'Latest SpO2 94% on oxygen.'],
    ['SpO2 {vitals.latest.spo2}, pulse {vitals.latest.heartRate}.', 'SpO2 94%, pulse 91/min.'],
    ['{adherence.meds.0.drug}: {adherence.meds.0.missed} missed.', 'Apixaban: 2 missed.'],
    ['Adherence {adherence.overallPct}.', 'Adherence 75%.'],
    ['Trend {news2.trend.direction}, scale {news2.scale}.', 'Trend rising, scale 1.'],
    ['Last set {vitals.hoursSinceLastObservation} ago.', 'Last set 2.5 h ago.'],
    ['Not overdue ({vitals.hoursSinceLastObservation} since the last set).', 'Not overdue (2.5 h since the last set).'],
    // A count says what it counts, an adherence percentage that it is one (found by the sixth held-out set).
    ['Apixaban: {adherence.meds.0.missed}.', 'Apixaban: 2 missed.'],
    ['Apixaban: {adherence.meds.0.missed} doses missed.', 'Apixaban: 2 doses missed.'],
    ['Paracetamol: {adherence.meds.1.given} of {adherence.meds.1.due} given.', 'Paracetamol: 4 of 4 given.'],
    ['Medication: {adherence.overallPct}.', 'Medication: overall adherence 75%.'],
    ['Apixaban {adherence.meds.0.pct}.', 'Apixaban 50% of doses given.'],
  ])('%s → %s', (text, written) => {
    const { sentences, check } = groundAnswer([{ text, facts: [] }], facts);
    expect(sentences[0].text).toBe(written);
    expect(check.findings).toEqual([]);
  });

  test.each([
    ['{vitals.latest.glucose}', ['{vitals.latest.glucose}']],
    ['{news2.latest.observationId}', ['{news2.latest.observationId}']],
    ['Paracetamol: {adherence.meds.0.missed} missed.', ['2']], // the right number, the wrong medicine
    ['Heart rate {vitals.latest.temperatureC}.', []], // written as "heart rate temperature 37.84 °C": no false number
  ])('%s → unsupported %j', (text, claims) => {
    expect(groundAnswer([{ text, facts: [] }], facts).check.findings?.map((f) => f.claim)).toEqual(claims);
  });
});

describe('nothing that matters left out', () => {
  const omitted = (texts: string[], f = facts) =>
    groundSentences(
      texts.map((text) => ({ text, facts: [] })),
      f,
    ).omitted;
  test('a complete answer omits nothing', () => {
    expect(omitted(['Latest NEWS2 7 (high risk), rising.', 'Apixaban: the last 2 doses missed.'])).toEqual([]);
  });
  test.each([
    [['Apixaban: 2 missed.'], facts, ['the latest NEWS2 is 7, high risk']],
    [['NEWS2 7, high risk.'], facts, ['Apixaban (anticoagulant): 2 missed, 0 refused']],
    [
      ['NEWS2 3.'],
      factsOf([vitals({ systolicBp: 88, diastolicBp: 50 })]),
      ['systolic BP scored 3 on its own at the latest set (low-medium risk)'],
    ],
    [['NEWS2 3, red score.'], factsOf([vitals({ systolicBp: 88, diastolicBp: 50 })]), []],
    [['NEWS2 0.'], factsOf([vitals({ takenAt: hoursAgo(9) })]), ['observations are overdue: the last set was 9 h ago']],
    [['Nothing to report.'], factsOf([]), ['no observations were recorded: they are overdue']],
    [['NEWS2 2.'], factsOf([vitals({ respiratoryRate: 21, temperatureC: null })]), ['the latest set is partial: temperature not recorded']],
    [['Partial NEWS2 0.'], factsOf([vitals({ spo2: 250 })]), ['at the latest set SpO2 250 was rejected as impossible and not scored']],
  ])('%j → %j', (texts, f, expected) => {
    expect(omitted(texts, f)).toEqual(expected);
  });

  test('a repair turn is told each problem in one line, from the facts and the answer alone', () => {
    const check = groundSentences([{ text: 'NEWS2 is 0, SpO2 91%.', facts: [] }], facts);
    expect(describeProblems(check)).toEqual([
      '"NEWS2 is 0": the latest NEWS2 is 7',
      '"SpO2 91%": the latest SpO2 is 94%',
      'left out: the latest NEWS2 is 7, high risk',
      'left out: Apixaban (anticoagulant): 2 missed, 0 refused',
    ]);
  });
});

describe('every scan is linear in the text', () => {
  test.each([
    ['numbers', '1 '],
    ['pairs', '1/'],
    ['references', '{a'],
    ['clauses', 'NEWS2 7, '],
    ['words', 'stable normal '],
    ['medicines', 'Apixaban missed 2 '],
    ['brackets', '(('],
    ['ranges', 'NEWS2 5-6 '],
    ['series', 'NEWS2 4→6→'],
    ['when clauses', '2 h ago, when RR 21 '],
    ['single-parameter scores', 'single 3 '],
    ['score words', 'the score rising '],
    ['counts in brackets', 'refused (2 of 7) '],
    ['from numbers after a score', 'score up from 6 '],
    ['from numbers', 'up from 6 '],
    ['lists of times', '15 and 27 hours ago, '],
    ['or-ranges', 'NEWS2 5 or 6 '],
    ['negated doses', 'no doses of Apixaban were refused '],
    ['last doses', 'the last dose was missed (1 of 4) '],
    // One parameter, then clause after clause of bare numbers, each continuing it (or not, past a closed bracket).
    ['numbers continuing a parameter', ', 7', 'SpO2 94% '],
    ['numbers after closed brackets', '(1), 7 ', 'NEWS2 (SpO2 94%) '],
    ['contractions', "isn't on oxygen, "],
    ['dismissed readings', 'SpO2 94% likely artefact, '],
    ['responses not needed', 'emergency assessment not required, '],
    ['responses', 'emergency assessment, '],
    ['values in words', 'NEWS2 is seven, '],
    ['values glued to their parameter', 'RR16, '],
    ['negations after a dose word', 'Apixaban missed: no, '],
  ] as [string, string, string?][])('%s: 400 KB in one sentence is read in well under a quadratic scan', (_name, unit, prefix = '') => {
    const small = prefix + unit.repeat(Math.ceil(20_000 / unit.length));
    const big = prefix + unit.repeat(Math.ceil(400_000 / unit.length));
    const time = (text: string) => {
      const started = performance.now();
      groundSentences([{ text, facts: [] }], facts);
      return performance.now() - started;
    };
    time(small);
    const t20 = time(small);
    const t400 = time(big);
    // 20× the text: linear ≈ 20× the time, quadratic ≈ 400×. Generous for a loaded machine.
    expect(t400).toBeLessThan(Math.max(150 * t20, 3000));
  });
});
