// Note flags (keyword screen with negation) and which notes are listed.
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
