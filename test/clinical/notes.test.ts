// Note flags (keyword screen with negation) and which notes are listed.
import fc from 'fast-check';
import { defaultClinicalOptions } from '../../src/clinical';
import { flagNote, noteFact, selectNotes } from '../../src/clinical/notes';
import { hoursAgo, week } from './fixtures';

describe('flags', () => {
  test.each([
    ['Found on the floor beside bed at 03:00, no injury seen.', 'fall'],
    ['Patient fell in the bathroom.', 'fall'],
    ['Slipped while mobilising to the toilet.', 'fall'],
    ['No falls overnight.', null],
    ['Complaining of pain in left hip.', 'pain'],
    ['Painful on movement.', 'pain'],
    ['Denies any pain.', null],
    ['Comfortable and pain-free.', null],
    ['No falls, but reports pain in right knee.', 'pain'],
    ['Refused evening medication.', 'refusal'],
    ['Refuses to have observations taken.', 'refusal'],
    ['Safeguarding referral made after daughter raised concerns.', 'safeguarding'],
    ['Nil safeguarding concerns.', null],
    ['DNACPR form signed and in notes.', 'DNACPR'],
    ['Do not attempt resuscitation decision discussed with family.', 'DNACPR'],
    ['Escalated to the medical registrar.', 'escalation'],
    ['Reviewed by outreach team.', 'escalation'],
    ['Not for escalation to ICU, ward-based care.', 'escalation'],
    ['No need to escalate at present.', null],
    ['Refused medication and complaining of pain.', 'refusal'], // priority: refusal before pain
    ['Fell and hit head; escalated to outreach.', 'escalation'], // priority: escalation before fall
    ['Enjoyed painting with the activities coordinator.', null],
    ['Ate well, slept well.', null],
  ])('%s → %s', (text, flag) => {
    expect(flagNote(text)).toBe(flag);
  });
});

describe('selection', () => {
  const note = (id: string, hours: number, text: string) => ({
    id,
    authoredAt: hoursAgo(hours),
    authorRole: 'nurse',
    category: 'nursing',
    text,
  });
  const notes = [
    note('n1', 100, 'Patient fell overnight.'),
    note('n2', 90, 'Ate well.'),
    note('n3', 80, 'Slept well.'),
    note('n4', 30, 'Mobilising with frame.'),
    note('n5', 20, 'Family visited.'),
    note('n6', 10, 'Settled.'),
  ];

  test('the most recent notes plus every flagged one, oldest first, as {id, authoredAt, category, flag}', () => {
    const selected = selectNotes(week({ notes: [...notes].reverse() }), { recentNoteCount: 3, maxFlaggedNotes: 10 });
    expect(selected.map(noteFact)).toEqual([
      { id: 'n1', authoredAt: hoursAgo(100).toISOString(), category: 'nursing', flag: 'fall' },
      { id: 'n4', authoredAt: hoursAgo(30).toISOString(), category: 'nursing', flag: null },
      { id: 'n5', authoredAt: hoursAgo(20).toISOString(), category: 'nursing', flag: null },
      { id: 'n6', authoredAt: hoursAgo(10).toISOString(), category: 'nursing', flag: null },
    ]);
  });

  test('flagged notes are bounded too, keeping the most recent', () => {
    const many = Array.from({ length: 15 }, (_, i) => note(`f${i}`, 100 - i, 'Complaining of pain.'));
    const selected = selectNotes(week({ notes: many }), { ...defaultClinicalOptions, recentNoteCount: 0, maxFlaggedNotes: 10 });
    expect(selected.map((s) => s.note.id)).toEqual(Array.from({ length: 10 }, (_, i) => `f${i + 5}`));
  });
});

describe('the screen is linear in the note', () => {
  // The negation check as it was: every keyword rescanned the whole text before it (quadratic in the note).
  function referenceFlag(text: string) {
    const negationWords = new Set(['no', 'not', 'nil', 'denies', 'denied', 'without', 'negative']);
    const isNegated = (start: number, end: number) => {
      if (/^[- ]free\b/i.test(text.slice(end))) return true;
      const before = text.slice(0, start);
      const clauseStart = Math.max(0, ...[...before.matchAll(/[.,;:!?\n]|\bbut\b/gi)].map((m) => m.index + m[0].length));
      const words =
        before
          .slice(clauseStart)
          .toLowerCase()
          .match(/[a-z]+/g) ?? [];
      return words.slice(-3).some((word) => negationWords.has(word));
    };
    const rules: [string, RegExp][] = [
      [
        'escalation',
        /\b(?:not for escalation|ceiling of care|escalat(?:e|ed|es|ing|ion)|outreach|rapid response|medical emergency team|critical care|crash call)\b/gi,
      ],
      ['fall', /\b(?:falls?|fell|fallen|found on (?:the )?floor|slipped|tripped)\b/gi],
      ['safeguarding', /\b(?:safeguarding|abuse[ds]?|neglect(?:ed)?)\b/gi],
      ['DNACPR', /\b(?:DNACPR|DNAR|DNR|do not attempt (?:cardiopulmonary )?resuscitation)\b/gi],
      ['refusal', /\brefus(?:e|ed|es|ing|al)\b/gi],
      ['pain', /\bpain(?:ful)?\b/gi],
    ];
    return rules.find(([, p]) => [...text.matchAll(p)].some((m) => !isNegated(m.index, m.index + m[0].length)))?.[0] ?? null;
  }

  test('on 3,000 generated notes the bounded look-back flags exactly what the whole-text rescan did', () => {
    const word = fc.constantFrom(
      'no',
      'not',
      'Nil',
      'denies',
      'without',
      'negative',
      'but',
      'BUT',
      'butter',
      'any',
      'new',
      'and',
      'pain',
      'pain-free',
      'pain free',
      'falls',
      'fell',
      'refused',
      'escalated',
      'safeguarding',
      'DNACPR',
      'found on the floor',
      'patient',
      'reports',
      '2',
      'x1',
    );
    const glue = fc.constantFrom(' ', '  ', ', ', '. ', '; ', '\n', ' - ', ': ', '! ');
    const note = fc.array(fc.tuple(word, glue), { minLength: 1, maxLength: 14 }).map((parts) => parts.map(([w, g]) => w + g).join(''));
    fc.assert(
      fc.property(note, (text) => expect(flagNote(text)).toBe(referenceFlag(text))),
      { numRuns: 3000 },
    );
  });

  test('a 1 MB note of negated keywords is screened in well under a second (a rescan per keyword took minutes)', () => {
    const unit = 'No falls. Denies pain, nil safeguarding concerns; not refusing. ';
    const text = unit.repeat(Math.ceil((1 << 20) / unit.length));
    const started = performance.now();
    expect(flagNote(text)).toBeNull();
    // Generous for a loaded machine; the quadratic screen needed ~7 s for 128 KB alone.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(flagNote(text + 'Then fell.')).toBe('fall');
  });
});
