// Adherence rules: held excluded from the denominator, missed/refused runs, critical classes, rounding.
import { defaultClinicalOptions, type AdministrationStatus } from '../../src/clinical';
import { adherenceFacts } from '../../src/clinical/adherence';
import { hoursAgo, now, week } from './fixtures';

const doses = (orderId: string, statuses: AdministrationStatus[], firstDueHoursAgo = 48) =>
  statuses.map((status, i) => ({ id: `${orderId}-${i}`, orderId, dueAt: hoursAgo(firstDueHoursAgo - i * 6), status }));

const oneMed = (statuses: AdministrationStatus[], drugClass = 'antibiotic') =>
  adherenceFacts(
    week({ medications: [{ orderId: 'm1', drug: 'Co-amoxiclav', drugClass }], administrations: doses('m1', statuses) }),
    now,
    defaultClinicalOptions,
  );

describe('per medication', () => {
  test.each([
    [[], { due: 0, given: 0, missed: 0, refused: 0, held: 0, pct: null, longestMissedRun: 0, currentMissedRun: 0 }],
    [['given', 'given', 'missed'], { due: 3, given: 2, missed: 1, refused: 0, held: 0, pct: 67, longestMissedRun: 1, currentMissedRun: 1 }],
    [
      ['missed', 'refused', 'given', 'missed'],
      { due: 4, given: 1, missed: 2, refused: 1, held: 0, pct: 25, longestMissedRun: 2, currentMissedRun: 1 },
    ],
    [
      ['given', 'missed', 'missed', 'missed', 'given'],
      { due: 5, given: 2, missed: 3, refused: 0, held: 0, pct: 40, longestMissedRun: 3, currentMissedRun: 0 },
    ],
    // Held is a clinical decision: out of the denominator, and it neither breaks nor extends a run.
    [['missed', 'held', 'missed'], { due: 2, given: 0, missed: 2, refused: 0, held: 1, pct: 0, longestMissedRun: 2, currentMissedRun: 2 }],
    [['given', 'held', 'held'], { due: 1, given: 1, missed: 0, refused: 0, held: 2, pct: 100, longestMissedRun: 0, currentMissedRun: 0 }],
    [['held', 'held'], { due: 0, given: 0, missed: 0, refused: 0, held: 2, pct: null, longestMissedRun: 0, currentMissedRun: 0 }],
    [
      ['given', 'missed', 'given', 'given', 'given', 'given'],
      { due: 6, given: 5, missed: 1, refused: 0, held: 0, pct: 83, longestMissedRun: 1, currentMissedRun: 0 },
    ],
    [
      ['refused', 'given', 'given', 'given', 'given', 'given', 'given', 'given'],
      { due: 8, given: 7, missed: 0, refused: 1, held: 0, pct: 88, longestMissedRun: 1, currentMissedRun: 0 },
    ], // 87.5 → 88
  ] as [AdministrationStatus[], object][])('%j', (statuses, expected) => {
    expect(oneMed(statuses).meds[0]).toMatchObject(expected);
  });

  test('doses due after now are not counted yet', () => {
    const facts = adherenceFacts(
      week({
        medications: [{ orderId: 'm1', drug: 'Co-amoxiclav', drugClass: 'antibiotic' }],
        administrations: [
          { id: 'a', orderId: 'm1', dueAt: hoursAgo(2), status: 'given' },
          { id: 'b', orderId: 'm1', dueAt: hoursAgo(-4), status: 'missed' },
        ],
      }),
      now,
      defaultClinicalOptions,
    );
    expect(facts.meds[0]).toMatchObject({ due: 1, given: 1, missed: 0, pct: 100 });
  });
});

describe('critical medicines', () => {
  test.each([
    ['anticoagulant', true],
    ['Insulin', true],
    ['ANTIEPILEPTIC', true],
    ['analgesic', false],
  ])('class %s → critical %s', (drugClass, critical) => {
    expect(oneMed(['missed'], drugClass).meds[0].critical).toBe(critical);
  });

  test('the critical classes are an option', () => {
    const facts = adherenceFacts(
      week({ medications: [{ orderId: 'm1', drug: 'Levodopa', drugClass: 'antiparkinsonian' }], administrations: doses('m1', ['missed']) }),
      now,
      { criticalDrugClasses: ['antiparkinsonian'] },
    );
    expect(facts.meds[0].critical).toBe(true);
    expect(facts.criticalMissed).toEqual(['Levodopa']);
  });

  test('criticalMissed lists critical drugs with a missed or refused dose only', () => {
    const facts = adherenceFacts(
      week({
        medications: [
          { orderId: 'apx', drug: 'Apixaban', drugClass: 'anticoagulant' },
          { orderId: 'ins', drug: 'Insulin glargine', drugClass: 'insulin' },
          { orderId: 'lev', drug: 'Levetiracetam', drugClass: 'antiepileptic' },
          { orderId: 'par', drug: 'Paracetamol', drugClass: 'analgesic' },
        ],
        administrations: [
          ...doses('apx', ['given', 'missed']),
          ...doses('ins', ['refused', 'given']),
          ...doses('lev', ['given', 'held']),
          ...doses('par', ['missed']),
        ],
      }),
      now,
      defaultClinicalOptions,
    );
    expect(facts.criticalMissed).toEqual(['Apixaban', 'Insulin glargine']);
  });
});

test('overall: totals across medicines, percentage from the totals (not a mean of percentages), rounded', () => {
  const facts = adherenceFacts(
    week({
      medications: [
        { orderId: 'a', drug: 'Apixaban', drugClass: 'anticoagulant' },
        { orderId: 'b', drug: 'Paracetamol', drugClass: 'analgesic' },
      ],
      administrations: [...doses('a', ['given', 'missed', 'refused', 'held']), ...doses('b', ['given', 'given'])],
    }),
    now,
    defaultClinicalOptions,
  );
  // 3 given of 5 due = 60 % (the mean of 33 % and 100 % would be 67 %).
  expect(facts).toMatchObject({ overallPct: 60, due: 5, given: 3, missed: 1, refused: 1, held: 1 });
});

test('nothing due: overall percentage is null', () => {
  expect(adherenceFacts(week(), now, defaultClinicalOptions)).toMatchObject({ overallPct: null, due: 0, meds: [] });
});
