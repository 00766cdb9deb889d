// Property: generated identifier variants, written into a patient's notes, note categories and medication fields in
// the database, never reach the wire — checked on the request bodies a fake OpenAI upstream actually received.
import fc from 'fast-check';
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';
import { allVariants, fieldVariants, leaks, type Identity, type Variant } from '../support/identifier-variants';

let upstream: FakeUpstream;
let t: TestApp;
let wardId: string;
let token: string;
let n = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  t = await startTestApp({
    llmYaml: oneProviderYaml(upstream.url),
  });
  wardId = (await t.db.ward.findFirstOrThrow({ orderBy: { code: 'asc' } })).id;
  token = await t.token(['clinician'], { sub: 'dr-wire' });
});

afterAll(async () => {
  await t.close();
  await upstream.close();
});

// Names with what defeats naive matching: diacritics, apostrophes, hyphens, particles, letters without decompositions.
const given = fc.constantFrom(
  'Zoë',
  'Siobhán',
  'José',
  'Ægir',
  'Łucja',
  'Mary-Ann',
  'Søren',
  'Marjorie',
  'Björn',
  'Niamh',
  'Anaïs',
  'Oksana',
);
const familyPart = fc.constantFrom(
  'Ångström',
  "O'Neil",
  'Núñez',
  'Featherstonehaugh',
  'Mac Giolla',
  'Øster',
  'Dąbrowski',
  'Ibáñez',
  "D'Arcy",
  'Çelik',
  'Kowalczyk',
  'Van der Berg',
);
const identity: fc.Arbitrary<Identity> = fc.record({
  givenName: given,
  familyName: fc.array(familyPart, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('-')),
  mrn: fc.tuple(fc.constantFrom('RX', 'MRN', 'K-', 'H', ''), fc.integer({ min: 10_000, max: 99_999_999 })).map(([p, d]) => `${p}${d}`),
  birthDate: fc
    .date({ min: new Date('1920-01-01'), max: new Date('2010-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  bed: fc.constantFrom('B12', 'C3', 'Side room 2', 'A7'),
});

/** A variant as an attacker would vary it further: per-letter case, a zero-width character, a look-alike. */
const mutate = (v: Variant) =>
  fc.tuple(fc.constantFrom('none', 'upper', 'lower', 'zero-width', 'look-alike'), fc.nat()).map(([how, seed]) => {
    const chars = [...v.text];
    const at = seed % Math.max(1, chars.length);
    let text = v.text;
    if (how === 'upper') text = v.text.toUpperCase();
    if (how === 'lower') text = v.text.toLowerCase();
    if (how === 'zero-width') text = [...chars.slice(0, at), '\u200b', ...chars.slice(at)].join('');
    if (how === 'look-alike')
      text = chars
        .map((c, i) => (i === at ? (({ a: 'а', e: 'е', o: 'о', c: 'с', p: 'р', x: 'х' } as Record<string, string>)[c] ?? c) : c))
        .join('');
    return { ...v, text, form: `${v.form} (${how})` };
  });

const scenario = identity.chain((id) =>
  fc.tuple(
    fc.constant(id),
    fc.shuffledSubarray(allVariants(id), { minLength: 6, maxLength: 20 }).chain((vs) => fc.tuple(...vs.map(mutate))),
  ),
);

/** Inserts the patient with the variants in flagged notes (two per note: at most 10 notes, so every one is listed), categories and a drug. */
async function insertPatient(id: Identity, variants: Variant[]): Promise<string> {
  const fields = fieldVariants(id);
  n += 1;
  // MRNs are unique: a replayed identity (fast-check shrinking) retires the earlier patient's first.
  await t.db.patient.updateMany({ where: { mrn: id.mrn }, data: { mrn: `retired-${n}` } });
  const patient = await t.db.patient.create({
    data: {
      mrn: id.mrn,
      givenName: id.givenName,
      familyName: id.familyName,
      birthDate: new Date(`${id.birthDate}T00:00:00Z`),
      wardId,
      bed: `${id.bed}-${n}`,
    },
  });
  const notes = [];
  for (let i = 0; i < variants.length; i += 2) {
    const pair = variants.slice(i, i + 2).map((v) => v.text);
    notes.push({
      patientId: patient.id,
      authoredAt: new Date(Date.now() - (i + 1) * 60_000),
      authorRole: 'nurse',
      category: i === 0 ? fields.category : 'nursing',
      text: `Patient fell. ${pair.join('; ')}.`,
    });
  }
  await t.db.careNote.createMany({ data: notes });
  await t.db.medicationOrder.create({
    data: {
      patientId: patient.id,
      drug: fields.drug,
      drugClass: fields.drugClass,
      dose: '1 mg',
      route: 'oral',
      frequency: 'daily',
      startedAt: new Date(Date.now() - 86_400_000),
    },
  });
  return patient.id;
}

test('no generated identifier variant reaches the upstream, in notes, note categories or medication fields', async () => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async ([id, variants]) => {
      const patientId = await insertPatient(id, variants);
      const before = upstream.requests.length;
      const res = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body.source).toBe('llm');
      const sent = upstream.requests.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      for (const wire of sent) {
        const body = wire.json as { messages: { content: string }[] };
        // The prompt as the model reads it (the JSON inside the body's string), and the raw bytes.
        const texts = [wire.body, ...body.messages.map((m) => m.content)];
        const excerpts = JSON.parse(body.messages.at(-1)!.content).noteExcerpts as unknown[];
        expect(excerpts.length).toBe(Math.ceil(variants.length / 2));
        for (const v of [...variants, ...fieldVariants(id).variants]) {
          for (const text of texts)
            expect({ form: v.form, text: v.text, leaked: leaks(text, v) }).toEqual({ form: v.form, text: v.text, leaked: [] });
          checked++;
        }
      }
    }),
    { numRuns: Number(process.env.WIRE_PROPERTY_RUNS ?? 40) },
  );
  expect(checked).toBeGreaterThan(6);
}, 120_000);
