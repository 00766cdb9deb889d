// FHIR R4 AuditEvent mapping: codes per action (audit.md table) and validity of every emitted shape.
import { Fhir } from 'fhir';
import { DCM, exportEncoder, LIFECYCLE, OBJECT_ROLE, ENTITY_TYPE, toFhirAuditEvent, type FhirAuditEvent } from '../../src/audit';
import { PATIENT, SAMPLE_INPUTS, sampleRecord } from './fixtures';

const fhir = new Fhir();

/** Errors only: warnings about codes missing from the bundled value sets are expected (DCM, BALP, THO). */
function validationErrors(resource: object): string[] {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  return result.messages
    .filter((m) => m.severity === 'error' || m.severity === 'fatal' || (m.severity === 'warning' && !/not found in value set/.test(m.message ?? '')))
    .map((m) => `${m.location}: ${m.message}`);
}

const fhirOf = (kind: string): FhirAuditEvent => toFhirAuditEvent(sampleRecord(SAMPLE_INPUTS[kind]));

test('the validator is live: it rejects a bad outcome code and an unknown property', () => {
  const bad = { ...fhirOf('summary.read'), outcome: '99', colour: 'blue' };
  expect(validationErrors(bad).length).toBeGreaterThanOrEqual(2);
});

test.each(Object.keys(SAMPLE_INPUTS))('%s maps to a valid FHIR R4 AuditEvent', (kind) => {
  const event = fhirOf(kind);
  expect(validationErrors(event)).toEqual([]);
  // Invariant sev-1 (not checked by the validator): an entity has a name or a query, not both.
  for (const entity of event.entity ?? []) expect('name' in entity && 'query' in entity).toBe(false);
  expect(event.recorded).toBe('2026-11-25T10:15:30.123456Z');
  expect(event.source.observer.display).toBe('shiftnote');
  expect(event.agent.filter((a) => a.requestor)).toHaveLength(1);
});

test.each([
  ['llm.request', DCM.export.code, LIFECYCLE.disclose.code, 'R', '0'],
  ['llm.response', DCM.export.code, LIFECYCLE.disclose.code, 'R', '8'],
  ['summary.read', DCM.patientRecord.code, LIFECYCLE.access.code, 'R', '0'],
  ['audit.read', DCM.auditLogUsed.code, undefined, 'R', '0'],
  ['audit.export', DCM.auditLogUsed.code, undefined, 'E', '0'],
  ['audit.verify', DCM.auditLogUsed.code, undefined, 'E', '0'],
  ['audit.verify failure', DCM.securityAlert.code, undefined, 'E', '8'],
])('%s → type %s, subtype %s, action %s, outcome %s', (kind, type, subtype, action, outcome) => {
  const event = fhirOf(kind);
  expect(event.type.code).toBe(type);
  expect(event.subtype?.[0]?.code).toBe(subtype);
  expect(event.action).toBe(action);
  expect(event.outcome).toBe(outcome);
});

test.each([
  ['success', '0'],
  ['minor_failure', '4'],
  ['serious_failure', '8'],
  ['major_failure', '12'],
] as const)('outcome %s → %s', (outcome, code) => {
  expect(toFhirAuditEvent(sampleRecord({ ...SAMPLE_INPUTS['summary.read'], outcome })).outcome).toBe(code);
});

test('an outbound LLM attempt is a BALP disclosure: source, recipient and requestor agents, patient and data entities', () => {
  const event = fhirOf('llm.request');
  const byType = (code: string) => event.agent.find((a) => a.type?.coding?.[0].code === code);
  expect(byType(DCM.sourceRole.code)).toMatchObject({ requestor: false, who: { display: 'shiftnote' } });
  expect(byType(DCM.destinationRole.code)).toMatchObject({
    requestor: false,
    who: { identifier: { value: 'openai' } },
    network: { address: 'api.openai.com', type: '1' },
  });
  expect(byType('humanuser')).toMatchObject({ requestor: true, who: { identifier: { value: 'clin-1' } } });
  expect(event.purposeOfEvent?.[0].coding?.[0].code).toBe('TREAT');
  const patient = event.entity?.find((e) => e.role?.code === OBJECT_ROLE.patient.code);
  expect(patient).toMatchObject({ what: { reference: `Patient/${PATIENT}` }, type: { code: ENTITY_TYPE.person.code } });
  const data = event.entity?.find((e) => e.role?.code === OBJECT_ROLE.report.code);
  expect(data?.type?.code).toBe(ENTITY_TYPE.systemObject.code);
  expect(data?.description).toBe('vital signs, NEWS2, medication adherence, care note excerpts, 7 days, no direct identifiers');
  expect(Object.fromEntries((data?.detail ?? []).map((d) => [d.type, d.valueString]))).toMatchObject({
    requestSha256: 'a'.repeat(64),
    model: 'gpt-4o-mini',
    windowDays: '7',
  });
});

test('a failed verification names the first broken row as a security alert', () => {
  const event = fhirOf('audit.verify failure');
  expect(event.entity?.[0]).toMatchObject({ what: { reference: `AuditEvent/${SAMPLE_INPUTS['audit.verify failure'].details.firstBrokenId}` } });
  expect(event.entity?.[0].description).toMatch(/seq 4 \(hash_mismatch\)/);
});

test('the streamed FHIR export is one valid Bundle whatever the batching', () => {
  const records = Object.values(SAMPLE_INPUTS).map((input, i) => sampleRecord({ ...input, id: undefined }, i + 1));
  const encoder = exportEncoder('fhir', { bundleId: 'b0d1e2f3-0000-4000-8000-000000000000', timestamp: '2026-11-25T10:15:30.123456Z' });
  const text = encoder.begin() + encoder.rows(records.slice(0, 3)) + encoder.rows([]) + encoder.rows(records.slice(3)) + encoder.end();
  const bundle = JSON.parse(text);
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  expect(bundle.entry).toHaveLength(records.length);
  expect(validationErrors(bundle)).toEqual([]);
});
