// Redaction of note text, and the whole prompt's bytes: no name, MRN, birth date or bed reaches a model.
import fc from 'fast-check';
import { summarizeWeek, type CareNoteRecord } from '../../src/clinical';
import { excerpt, MAX_REDACTED_CHARS, noteRedactor, redactNote } from '../../src/clinical/redact';
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
    expect(redactNote("Zoë O’Brien-Smith; Mrs Smith; o'brien", other)).toBe('the patient; the patient; the patient');
  });
});

describe("adversarial spellings and every shape of identifier (patient Zoë Ångström-O'Neil, MRN RX448812, born 1950-03-04)", () => {
  const zoe = { givenName: 'Zoë', familyName: "Ångström-O'Neil", mrn: 'RX448812', birthDate: '1950-03-04', bed: 'B12' };
  test.each([
    // names: folded, dropped, reordered, initials, titles, invisible and look-alike characters
    ['Zoe Angstrom-ONeil seen.', 'the patient seen.'],
    ['ZOË ÅNGSTRÖM O NEIL seen.', 'the patient seen.'],
    ['AngstromONeil seen.', 'the patient seen.'],
    ["O'Neil, Zoë: seen.", 'the patient: seen.'],
    ['Mrs Z. Angstrom-O’Neil seen.', 'the patient seen.'],
    ['Z Angstrom seen.', 'the patient seen.'],
    ['Angstrom Z. seen.', 'the patient seen.'],
    ['Zo\u200bë Ång\u00adström seen.', 'the patient seen.'],
    ['Zое Аngstrоm seen.', 'the patient seen.'], // Cyrillic о, е, А
    ['Ｚｏｅ seen.', 'the patient seen.'],
    ['Zoe\u0308 seen.', 'the patient seen.'],
    // MRN: any separators, widths and scripts
    ['MRN RX.448.812', 'MRN [MRN]'],
    ['MRN RX/448/812', 'MRN [MRN]'],
    ['MRN ＲＸ４４８８１２', 'MRN [MRN]'],
    ['MRN RX٤٤٨٨١٢', 'MRN [MRN]'],
    ['MRN R\u200dX448812', 'MRN [MRN]'],
    ['hospital no 448 812', 'hospital no [MRN]'],
    // birth date in written forms, and anyone's dates
    ['DOB 4-Mar-50.', 'DOB [DOB].'],
    ['DOB 4th March 1950.', 'DOB [DOB].'],
    ['DOB 03/04/50.', 'DOB [DOB].'],
    ['DOB ０４/０３/１９５０.', 'DOB [DOB].'],
    ['DOB 04 . 03 . 1950.', 'DOB [DOB].'],
    ['Birthday 4th March.', 'Birthday [DOB].'],
    ['Admitted 12 Nov 2026, seen 11/12/2026 and Dec. 3rd.', 'Admitted [date], seen [date] and [date].'],
    ['Seen in November 2026.', 'Seen in [date].'],
    ['It may 2 be fine; pain 7/10 at 03:10.', 'It may 2 be fine; pain 7/10 at 03:10.'],
    // addresses, postcodes, ZIP codes, places
    ['Lives at 221B Baker Street, London NW1 6XE.', 'Lives at [address] [postcode].'],
    ['Flat 2, 14 Elm Road, settled.', '[address], settled.'],
    ['Home is 7 acacia avenue.', 'Home is [address].'],
    ['Address 1600 Pennsylvania Ave NW, Washington, DC 20500.', 'Address [address].'],
    ['Postcode SW1A 1AA.', 'Postcode [postcode].'],
    ['Springfield, IL 62704.', 'Springfield, [postcode].'],
    ['Lives in Leeds with her son.', 'Lives in [place] with her son.'],
    ['A 30 minute walk; keep close by; lives at home.', 'A 30 minute walk; keep close by; lives at home.'],
    // phone numbers whole, emails, URLs, IPs, national and other numbers
    ['Call 07700 900123.', 'Call [number].'],
    ['Tel +44 7700 900123.', 'Tel [number].'],
    ['Phone (0161) 496 0000.', 'Phone [number].'],
    ['Phone 555.123.4567.', 'Phone [number].'],
    ['Email jo.bloggs@example.co.uk.', 'Email [email].'],
    ['See https://ehr.example.org/p/4471, then www.example.org.', 'See [url], then [url].'],
    ['From 192.168.10.24.', 'From [ip].'],
    ['SSN 123-45-6789.', 'SSN [number].'],
    ['NI QQ123456C.', 'NI [id].'],
    ['Other patient RX/448/813 moved.', 'Other patient [id] moved.'],
    ['Other patient RX 448 813 moved.', 'Other patient RX [number] moved.'],
    // other people, and ages over 89
    ['Mr John Smith visited.', 'a person visited.'],
    ['Daughter Sarah visited; son informed.', 'Daughter [name] visited; son informed.'],
    ['Aged 92, a 95-year-old.', 'Aged [age 90+], a [age 90+]-year-old.'],
    ['Aged 89.', 'Aged 89.'],
  ])('%s → %s', (text, expected) => {
    expect(redactNote(text, zoe)).toBe(expected);
  });

  test('what is copied out is NFKC with invisible characters removed; a lone surrogate goes', () => {
    expect(redactNote('Ｓｅｔｔｌｅｄ\u200b overnight \ud800.', zoe)).toBe('Settled overnight .');
  });

  test('a long string is redacted up to the cap, and the stretch where an identifier could be cut is dropped', () => {
    // The name straddles the cap: cut there, its first half would match nothing.
    const text = 'x '.repeat(MAX_REDACTED_CHARS / 2 - 4) + "Zoë Ångström-O'Neil and more";
    const redacted = redactNote(text, zoe);
    expect(redacted.endsWith(' …')).toBe(true);
    expect(redacted).not.toMatch(/z\s*o|ang|str/i);
    expect(redacted.length).toBeLessThan(MAX_REDACTED_CHARS);
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

test.each([
  // Surnames that are also the words the facts are written in: the facts keep their words, the notes lose the name.
  ['Low', 'low', { observations: [vitals({ takenAt: hoursAgo(1) })] }],
  ['High', 'high', { observations: [vitals({ takenAt: hoursAgo(1), respiratoryRate: 26, spo2: 90, onOxygen: true, heartRate: 125 })] }],
  ['Stable', 'stable', { observations: [vitals({ id: 'a', takenAt: hoursAgo(9) }), vitals({ id: 'b', takenAt: hoursAgo(1) })] }],
])('a patient surnamed %s: the facts still say "%s" to the model, and the name is gone from the notes', async (surname, word, data) => {
  const patientWeek = week({
    ...data,
    identifiers: { ...identifiers, givenName: 'Wei', familyName: surname },
    notes: [{ id: 'n1', authoredAt: hoursAgo(3), authorRole: 'nurse', category: 'nursing', text: `Mr ${surname} settled overnight.` }],
  });
  const { completer, calls } = fakeCompleter([answer([{ text: 'Observations recorded.', facts: [] }])]);
  await summarizeWeek(patientWeek, { completer, now }, { meta: {} });
  const data_ = JSON.parse(calls[0].request.messages[0].content);
  const said = JSON.stringify(data_.facts);
  expect(said).toContain(`"${word}"`);
  expect(said).not.toContain('the patient');
  expect(data_.noteExcerpts[0].text).toBe('the patient settled overnight.');
});

test('the facts keep their words, but free text that is only such a word is still redacted (a patient surnamed Pain)', async () => {
  const patientWeek = week({
    observations: [vitals({ takenAt: hoursAgo(1) })],
    identifiers: { ...identifiers, givenName: 'Wei', familyName: 'Pain' },
    notes: [{ id: 'n1', authoredAt: hoursAgo(3), authorRole: 'nurse', category: 'pain', text: 'Complains of pain.' }],
  });
  const { completer, calls } = fakeCompleter([answer([{ text: 'Observations recorded.', facts: [] }])]);
  await summarizeWeek(patientWeek, { completer, now }, { meta: {} });
  const data = JSON.parse(calls[0].request.messages[0].content);
  expect(data.noteExcerpts[0].category).toBe('the patient');
  expect(data.noteExcerpts[0].flag).toBe('pain');
});

test('patterns shared between patients (same first name, bed and birth year) redact each patient alike, in any order', () => {
  const ada = { givenName: 'Ada', familyName: 'Lovelace', mrn: 'RX100001', birthDate: '1945-12-10', bed: 'B12' };
  const byron = { givenName: 'Ada', familyName: 'Byron', mrn: 'RX100002', birthDate: '1945-03-04', bed: 'B12' };
  const note = 'Ada Byron (RX100002, born 4 March 1945) moved to bed B12; Mrs Lovelace visited.';
  const first = [redactNote(note, byron), redactNote(note, ada)];
  expect(first[0]).toBe('the patient ([MRN], born [DOB]) moved to [bed]; a person visited.');
  expect(first[1]).toBe('the patient Byron ([id], born [date]) moved to [bed]; the patient visited.');
  // Interleaved and repeated: a shared global pattern carries no state from one use to the next.
  const redactAda = noteRedactor(ada);
  const redactByron = noteRedactor(byron);
  for (let i = 0; i < 3; i++) expect([redactByron(note), redactAda(note)]).toEqual(first);
});

describe('prefilter: skipping a pattern whose required text is absent never changes the result', () => {
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  // Case changes per letter, and the two non-ASCII letters that /iu folds onto ASCII ones.
  const caseVariant = (text: string) =>
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: text.length, maxLength: text.length })
      .map((picks) =>
        [...text]
          .map((c, i) =>
            picks[i] === 1
              ? c.toUpperCase()
              : picks[i] === 2
                ? c.toLowerCase()
                : picks[i] === 3 && c.toLowerCase() === 's'
                  ? 'ſ'
                  : picks[i] === 3 && c.toLowerCase() === 'k'
                    ? '\u212A'
                    : c,
          )
          .join(''),
      );
  const separator = fc.constantFrom(' ', '-', '', '  ', ' - ', '\u00a0');
  const identifiersArb = fc.record({
    givenName: fc.constantFrom('Ada', 'Kasia', 'Mary Ann', "D'Arcy", 'Zoë', 'Jo', 'Sköld', 'Keith'),
    familyName: fc.constantFrom('Lovelace', 'Smith-Jones', "O'Brien", 'Kessler', 'St. John', 'Núñez', 'Featherstonehaugh'),
    mrn: fc.constantFrom('RX448812', 'BEN0001234', 'K-77 5S', '12345'),
    birthDate: fc
      .date({ min: new Date('1920-01-01'), max: new Date('2010-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    bed: fc.constantFrom('B12', '7', 'Side room 3', 'K4'),
  });
  const fragment = (ids: { givenName: string; familyName: string; mrn: string; birthDate: string; bed: string }) => {
    const [y, m, d] = ids.birthDate.split('-');
    const month = months[Number(m) - 1];
    return fc.oneof(
      fc.constantFrom(
        'settled overnight',
        'pain 7/10 at 03:10',
        'RR 12, SpO2 94%',
        'seen by Dr Patel',
        'daughter visited',
        'the patient',
        'bed',
        'no.',
        ',',
      ),
      caseVariant(ids.givenName),
      caseVariant(ids.familyName),
      fc
        .tuple(fc.constantFrom('', 'Mrs ', 'mr. ', 'DR ', 'Prof '), caseVariant(ids.givenName), separator, caseVariant(ids.familyName))
        .map((p) => p.join('')),
      fc.tuple(caseVariant(ids.familyName), fc.constantFrom(', ', ' '), caseVariant(ids.givenName)).map((p) => p.join('')),
      fc.tuple(caseVariant(ids.familyName.replace(/'/g, '’')), separator).map((p) => p.join('')),
      fc
        .array(separator, { minLength: ids.mrn.length, maxLength: ids.mrn.length })
        .chain((seps) => caseVariant([...ids.mrn].map((c, i) => c + seps[i]).join(''))),
      fc.constantFrom(
        `${y}-${m}-${d}`,
        `${d}/${m}/${y}`,
        `${Number(d)}.${Number(m)}.${y.slice(2)}`,
        `${m}/${d}/'${y.slice(2)}`,
        `${Number(d)}th of ${month} ${y}`,
        `${month.slice(0, 3)}. ${Number(d)}, ${y}`,
        `${y}${m}${d}`,
        y,
        `${y.slice(2)}`,
      ),
      fc.tuple(fc.constantFrom('bed ', 'Bed no. ', 'BED', 'bed no '), caseVariant(ids.bed)).map((p) => p.join('')),
    );
  };
  const noteArb = identifiersArb.chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc
        .array(fragment(ids), { minLength: 1, maxLength: 8 })
        .chain((parts) =>
          fc
            .array(fc.constantFrom(' ', ', ', '. ', '\n', ''), { minLength: parts.length, maxLength: parts.length })
            .map((glue) => parts.map((p, i) => p + glue[i]).join('')),
        ),
    ),
  );

  test('on 3,000 generated notes, the prefiltered redactor equals running every pattern', () => {
    fc.assert(
      fc.property(noteArb, ([ids, note]) => {
        expect(noteRedactor(ids)(note)).toBe(noteRedactor(ids, { prefilter: false })(note));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('every pass is linear: strings built to make a backtracking pattern blow up are redacted at once', () => {
  const ids = { givenName: 'Zoë', familyName: "Ångström-O'Neil", mrn: 'RX448812', birthDate: '1950-03-04', bed: 'B12' };
  const at = (unit: string) => unit.repeat(Math.ceil((1 << 20) / unit.length));
  test.each([
    ['letters', at('a')],
    ['letters and dots before an @', at('a.')],
    ['digits and separators', at('1 ')],
    ['digits and dots', at('1.')],
    ['titles', at('Mr ')],
    ['relations', at('son ')],
    ['name parts and separators', at("Zoe-O'")],
    ['initials', at('Z. ')],
    ['MRN pieces', at('RX 44 ')],
    ['street words', at('Baker ')],
    ['month words and days', at('4 Mar ')],
    ['URL-ish', at('http://')],
    ['combining marks', at('e\u0301')],
    ['zero-width', at('\u200b')],
    ['look-alikes', at('Zое ')],
  ])('%s (1 MB)', (_what, text) => {
    const redact = noteRedactor(ids);
    const started = performance.now();
    const out = redact(text);
    // Generous: a quadratic pattern over the 4 KB window alone would take seconds.
    expect(performance.now() - started).toBeLessThan(500);
    expect(out.length).toBeLessThanOrEqual(MAX_REDACTED_CHARS * 4);
  });
});
