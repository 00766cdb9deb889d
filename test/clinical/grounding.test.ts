// Grounding: numbers in summary text must be facts, within the text's rounding, from the facts each sentence declares.
import { buildFacts, defaultClinicalOptions } from '../../src/clinical';
import { groundSentences } from '../../src/clinical/grounding';
import { deterioratingWeek, now } from './fixtures';

const facts = buildFacts(deterioratingWeek(), now, defaultClinicalOptions);
const scale2Facts = buildFacts(deterioratingWeek({ hypercapnicRespiratoryFailure: true }), now, defaultClinicalOptions);

test('the fixture is what the chart says (guards the table below)', () => {
  expect(facts.news2.scores.map((s) => s.total)).toEqual([0, 3, 4, 7]);
  expect(facts.news2.latest).toMatchObject({ total: 7, band: 'high', hoursAgo: 2.5 });
  expect(facts.news2.trend).toEqual({ direction: 'rising', setsCompared: 2, recentMean: 5.5, previousMean: 1.5 });
  expect(facts.adherence).toMatchObject({ overallPct: 75, refused: 0 });
  expect(facts.adherence.meds[0]).toMatchObject({ drug: 'Apixaban', missed: 2, currentMissedRun: 2 });
});

describe('accepted', () => {
  test.each([
    ['Latest NEWS2 is 7 (high risk), 2.5 h ago.', ['news2.latest']],
    ['Latest NEWS2 of 7.', []],
    ['NEWS 2 score 7, up from 4 a day earlier.', ['news2.latest', 'news2.scores']],
    ['NEWS2 trend rising (mean 5.5 against 1.5).', ['news2.trend']],
    ['NEWS2 trend rising; SpO2 94% on oxygen.', ['news2.trend', 'vitals.latest']],
    ['NEWS2 respiratory rate sub-score 3 at RR 25/min.', ['news2.latest', 'vitals.latest']],
    ['Temperature 37.8 °C.', ['vitals.latest.temperatureC']],
    ['Temperature 38 °C.', ['vitals.latest.temperatureC']],
    ['Temperature 37.84 °C.', ['vitals.latest.temperatureC']],
    ['Medication adherence 75%.', ['adherence.overallPct']],
    ['Last observations 3 hours ago.', ['vitals.hoursSinceLastObservation']],
    ['Apixaban: 2 doses missed in a row.', ['adherence.meds.0']],
    ['Apixaban: 2 doses missed in a row.', ['adherence.meds[0].currentMissedRun']],
    ['Apixaban: two doses missed.', ['adherence.meds.0']],
    ['No doses refused (0).', ['adherence.refused']],
    ['Minimum monitoring is continuous; 4–6-hourly would not do.', ['news2.scores.2.response']],
    ['Notes flagged: fall.', []],
    // Without a declaration a NEWS2 claim may be any set's total or a trend mean.
    ['NEWS2 was 4 a day earlier.', []],
    ['NEWS2 trend mean 5.5.', []],
  ])('%s %j', (text, declared) => {
    expect(groundSentences([{ text, facts: declared }], facts)).toEqual({ ok: true, unsupported: [] });
  });

  test('"scale 2" is a claim about the patient\'s SpO2 scale', () => {
    const sentence = { text: 'SpO2 94% scored on scale 2.', facts: ['vitals.latest'] };
    expect(groundSentences([sentence], scale2Facts).ok).toBe(true);
    expect(groundSentences([sentence], facts)).toEqual({ ok: false, unsupported: ['scale 2'] });
  });
});

describe('rejected', () => {
  test.each([
    ['Pulse 140/min.', ['vitals.latest'], ['140']],
    ['Temperature 37.9 °C.', ['vitals.latest.temperatureC'], ['37.9']],
    ['Temperature 37.80 °C.', ['vitals.latest.temperatureC'], ['37.80']],
    ['Medication adherence 74.6%.', ['adherence.overallPct'], ['74.6']],
    ['Last observations 4 hours ago.', ['vitals.hoursSinceLastObservation'], ['4']],
    ['Apixaban: three doses missed.', ['adherence.meds.0'], ['three']],
    ['Observations at 14:00 were abnormal.', [], ['14:00']],
    ['Seen on 04/03/2025.', [], ['04/03/2025']],
    ['Unchanged since 2025.', [], ['2025']], // timestamps are not quantities
    ['Medication adherence 75%.', ['adherence.percent'], ['75']], // an unknown key grounds nothing
    // Declared scope: 7 is a fact (the NEWS2) but not a heart rate.
    ['Pulse 7/min.', ['vitals.latest.heartRate'], ['7']],
    // The injected claim: 0 is a fact in scope (0 refused doses), but a number labelled NEWS2 must be a NEWS2.
    ['NEWS2 is 0 and no doses were refused.', ['news2.latest', 'adherence.refused'], ['NEWS2 is 0']],
    ['Latest NEWS2 of 0.', ['news2.latest'], ['NEWS2 of 0']],
    ['Latest NEWS2 of 9.', [], ['NEWS2 of 9']], // no NEWS2 total or trend mean near 9
    ['NEWS2 of 25 yesterday.', [], ['NEWS2 of 25']], // 25 is a fact (the respiratory rate), never a NEWS2 total
    // Declared paths name facts, nothing else: not an array's length, an index past its end, an inherited
    // property, or an identifier / timestamp field.
    ['Apixaban: 2 doses missed.', ['adherence.meds.length'], ['2']],
    ['Apixaban: 2 doses missed.', ['adherence.meds.7'], ['2']],
    ['Latest NEWS2 is 7.', ['news2.constructor'], ['NEWS2 is 7']],
    ['Latest NEWS2 is 7.', ['news2.latest.observationId'], ['NEWS2 is 7']],
  ])('%s %j', (text, declared, unsupported) => {
    expect(groundSentences([{ text, facts: declared }], facts)).toEqual({ ok: false, unsupported });
  });

  test('without a declaration a number is grounded against all facts', () => {
    expect(groundSentences([{ text: 'Pulse 7/min.', facts: [] }], facts).ok).toBe(true);
  });

  test('each sentence is judged on its own declarations', () => {
    const result = groundSentences(
      [
        { text: 'Latest NEWS2 is 7.', facts: ['news2.latest'] },
        { text: 'Adherence 7%.', facts: ['adherence.overallPct'] },
      ],
      facts,
    );
    expect(result).toEqual({ ok: false, unsupported: ['7'] });
  });
});
