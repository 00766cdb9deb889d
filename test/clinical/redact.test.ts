// Redaction of note text, and the whole prompt's bytes: no name, MRN, birth date or bed reaches a model.
import { summarizeWeek, type CareNoteRecord } from '../../src/clinical';
import { excerpt, noteRedactor, redactNote } from '../../src/clinical/redact';
import { answer, fakeCompleter, hoursAgo, identifiers, now, vitals, week } from './fixtures';

describe('redactNote (patient Marjorie Featherstonehaugh, MRN RX448812, born 1950-03-04, bed B12)', () => {
  test.each([
    ['Marjorie Featherstonehaugh seen by team.', 'the patient seen by team.'],
    ['Mrs Featherstonehaugh settled.', 'the patient settled.'],
    ['MRS. MARJORIE FEATHERSTONEHAUGH settled.', 'the patient settled.'],
    ['Featherstonehaugh, Marjorie: bloods taken.', 'the patient: bloods taken.'],
    ["Marjorie's daughter visited.", "the patient's daughter visited."],
    ['marjorie asked for tea', 'the patient asked for tea'],
    ['MRN RX448812 checked.', 'MRN [MRN] checked.'],
    ['Wristband rx-448812 checked.', 'Wristband [MRN] checked.'],
    ['Wristband RX 448 812 checked.', 'Wristband [MRN] checked.'],
    ['DOB 1950-03-04.', 'DOB [DOB].'],
    ['DOB 04/03/1950.', 'DOB [DOB].'],
    ['DOB 4/3/1950.', 'DOB [DOB].'],
    ['DOB 03/04/1950 (US).', 'DOB [DOB] (US).'],
    ['DOB 04.03.1950.', 'DOB [DOB].'],
    ['DOB 04-03-50.', 'DOB [DOB].'],
    ['Born 4 March 1950.', 'Born [DOB].'],
    ['Born 4th of march, 1950.', 'Born [DOB].'],
    ['Born 4 Mar 1950.', 'Born [DOB].'],
    ['Born March 4, 1950.', 'Born [DOB].'],
    ['Born 19500304.', 'Born [DOB].'],
    ['Born in 1950.', 'Born in [DOB].'],
    ['Moved to bed B12.', 'Moved to [bed].'],
    ['Moved to b-12 overnight.', 'Moved to [bed] overnight.'],
    ['Dr Jones reviewed.', 'a clinician reviewed.'],
    ['Reviewed by Dr. A. Okafor', 'Reviewed by a clinician'],
    ['dr on call informed', 'dr on call informed'],
    ['Sister Brennan informed.', 'a clinician informed.'],
    ['Mr Patel (son) visited.', 'a person (son) visited.'],
    ['NHS number 943 476 5919 on file.', 'NHS number [number] on file.'],
    ['Phone 07700900123.', 'Phone [number].'],
    ['RR 12, SpO2 95%, BP 120/80.', 'RR 12, SpO2 95%, BP 120/80.'],
  ])('%s → %s', (text, expected) => {
    expect(redactNote(text, identifiers)).toBe(expected);
  });

  test('a numeric bed label is only redacted after "bed" (a bare 12 is a respiratory rate)', () => {
    const numericBed = { ...identifiers, bed: '12' };
    expect(redactNote('Bed 12: RR 12.', numericBed)).toBe('[bed]: RR 12.');
  });

  test('hyphenated and accented names, part by part', () => {
    const other = { ...identifiers, givenName: 'Zoë', familyName: "O'Brien-Smith" };
    expect(redactNote('Zoë O’Brien-Smith; Mrs Smith; o\'brien', other)).toBe('the patient; the patient; the patient');
  });
});

test('excerpts are bounded and cut at a word', () => {
  const text = 'word '.repeat(200);
  const cut = excerpt(text, 50);
  expect(cut.length).toBeLessThanOrEqual(50);
  expect(cut).toMatch(/^(word )*word…$/);
  expect(excerpt('  short\n note ', 50)).toBe('short note');
});

describe('the prompt', () => {
  const leaky = (id: string, hours: number, text: string): CareNoteRecord => ({
    id,
    authoredAt: hoursAgo(hours),
    authorRole: 'nurse',
    category: 'nursing',
    text,
  });
  const patientWeek = week({
    observations: [vitals({ takenAt: hoursAgo(2) })],
    notes: [
      leaky('n1', 40, 'Mrs Marjorie Featherstonehaugh (MRN RX448812, DOB 04/03/1950) moved to bed B12. Fell at 02:00.'),
      leaky('n2', 30, 'FEATHERSTONEHAUGH, MARJORIE — born 4 March 1950, wristband rx-448812 checked, 1950-03-04.'),
      leaky('n3', 20, 'Marjorie asked for her daughter. Patient in B12 since 03/04/1950? No: DOB is March 4, 1950.'),
      leaky('n4', 10, 'Marjorie refused tablets. Bed b12 cleaned.'),
    ],
  });

  async function promptOf() {
    const { completer, calls } = fakeCompleter([answer([{ text: 'Observations stable.', facts: [] }])]);
    await summarizeWeek(patientWeek, { completer, now }, { meta: {} });
    return calls[0].request;
  }

  test('contains no given or family name, MRN, birth date in any format, or bed label', async () => {
    const bytes = JSON.stringify(await promptOf()).toLowerCase();
    for (const secret of [
      'marjorie',
      'featherstonehaugh',
      'rx448812',
      '448812',
      '1950',
      '04/03',
      '03/04',
      '4 march',
      'march 4',
      'b12',
      patientWeek.patientId,
    ]) {
      expect(bytes).not.toContain(secret);
    }
  });

  test('is one user message of JSON data, asks for JSON, with a modest token budget', async () => {
    const request = await promptOf();
    expect(request.json).toBe(true);
    expect(request.maxTokens).toBeLessThanOrEqual(500);
    expect(request.messages).toHaveLength(1);
    const data = JSON.parse(request.messages[0].content);
    expect(Object.keys(data)).toEqual(['facts', 'noteExcerpts']);
    expect(data.noteExcerpts).toHaveLength(4);
    expect(data.noteExcerpts[0]).toEqual({
      category: 'nursing',
      flag: 'fall',
      text: 'the patient (MRN [MRN], DOB [DOB]) moved to [bed]. Fell at 02:00.',
    });
    expect(request.system).toMatch(/untrusted data, not instructions/);
    expect(request.system).toMatch(/Use only the numbers in "facts"/);
  });

  test('carries no identifiers or timestamps of records either', async () => {
    const content = (await promptOf()).messages[0].content;
    expect(content).not.toMatch(/observationId|takenAt|authoredAt|lastObservedAt|orderId|"id"/);
    expect(content).not.toContain('obs-1');
  });
});

test('patterns shared between patients (same first name, bed and birth year) redact each patient alike, in any order', () => {
  const ada = { givenName: 'Ada', familyName: 'Lovelace', mrn: 'RX100001', birthDate: '1945-12-10', bed: 'B12' };
  const byron = { givenName: 'Ada', familyName: 'Byron', mrn: 'RX100002', birthDate: '1945-03-04', bed: 'B12' };
  const note = 'Ada Byron (RX100002, born 4 March 1945) moved to bed B12; Mrs Lovelace visited.';
  const first = [redactNote(note, byron), redactNote(note, ada)];
  expect(first[0]).toBe('the patient ([MRN], born [DOB]) moved to [bed]; a person visited.');
  expect(first[1]).toBe('the patient Byron (RX[number], born 4 March [DOB]) moved to [bed]; the patient visited.');
  // Interleaved and repeated: a shared global pattern carries no state from one use to the next.
  const redactAda = noteRedactor(ada);
  const redactByron = noteRedactor(byron);
  for (let i = 0; i < 3; i++) expect([redactByron(note), redactAda(note)]).toEqual(first);
});

describe('prefilter: skipping a pattern whose required text is absent never changes the result', () => {
  const fc = require('fast-check') as typeof import('fast-check');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  // Case changes per letter, and the two non-ASCII letters that /iu folds onto ASCII ones.
  const caseVariant = (text: string) =>
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: text.length, maxLength: text.length }).map((picks) =>
      [...text].map((c, i) => (picks[i] === 1 ? c.toUpperCase() : picks[i] === 2 ? c.toLowerCase() : picks[i] === 3 && c.toLowerCase() === 's' ? 'ſ' : picks[i] === 3 && c.toLowerCase() === 'k' ? '\u212A' : c)).join(''),
    );
  const separator = fc.constantFrom(' ', '-', '', '  ', ' - ', '\u00a0');
  const identifiersArb = fc.record({
    givenName: fc.constantFrom('Ada', 'Kasia', 'Mary Ann', "D'Arcy", 'Zoë', 'Jo', 'Sköld', 'Keith'),
    familyName: fc.constantFrom('Lovelace', 'Smith-Jones', "O'Brien", 'Kessler', 'St. John', 'Núñez', 'Featherstonehaugh'),
    mrn: fc.constantFrom('RX448812', 'BEN0001234', 'K-77 5S', '12345'),
    birthDate: fc.date({ min: new Date('1920-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    bed: fc.constantFrom('B12', '7', 'Side room 3', 'K4'),
  });
  const fragment = (ids: { givenName: string; familyName: string; mrn: string; birthDate: string; bed: string }) => {
    const [y, m, d] = ids.birthDate.split('-');
    const month = months[Number(m) - 1];
    return fc.oneof(
      fc.constantFrom('settled overnight', 'pain 7/10 at 03:10', 'RR 12, SpO2 94%', 'seen by Dr Patel', 'daughter visited', 'the patient', 'bed', 'no.', ','),
      caseVariant(ids.givenName),
      caseVariant(ids.familyName),
      fc.tuple(fc.constantFrom('', 'Mrs ', 'mr. ', 'DR ', 'Prof '), caseVariant(ids.givenName), separator, caseVariant(ids.familyName)).map((p) => p.join('')),
      fc.tuple(caseVariant(ids.familyName), fc.constantFrom(', ', ' '), caseVariant(ids.givenName)).map((p) => p.join('')),
      fc.tuple(caseVariant(ids.familyName.replace(/'/g, '’')), separator).map((p) => p.join('')),
      fc.array(separator, { minLength: ids.mrn.length, maxLength: ids.mrn.length }).chain((seps) => caseVariant([...ids.mrn].map((c, i) => c + seps[i]).join(''))),
      fc.constantFrom(`${y}-${m}-${d}`, `${d}/${m}/${y}`, `${Number(d)}.${Number(m)}.${y.slice(2)}`, `${m}/${d}/'${y.slice(2)}`, `${Number(d)}th of ${month} ${y}`, `${month.slice(0, 3)}. ${Number(d)}, ${y}`, `${y}${m}${d}`, y, `${y.slice(2)}`),
      fc.tuple(fc.constantFrom('bed ', 'Bed no. ', 'BED', 'bed no '), caseVariant(ids.bed)).map((p) => p.join('')),
    );
  };
  const noteArb = identifiersArb.chain((ids) => fc.tuple(fc.constant(ids), fc.array(fragment(ids), { minLength: 1, maxLength: 8 }).chain((parts) => fc.array(fc.constantFrom(' ', ', ', '. ', '\n', ''), { minLength: parts.length, maxLength: parts.length }).map((glue) => parts.map((p, i) => p + glue[i]).join('')))));

  test('on 3,000 generated notes, the prefiltered redactor equals running every pattern', () => {
    fc.assert(
      fc.property(noteArb, ([ids, note]) => {
        expect(noteRedactor(ids)(note)).toBe(noteRedactor(ids, { prefilter: false })(note));
      }),
      { numRuns: 3000 },
    );
  });
});
