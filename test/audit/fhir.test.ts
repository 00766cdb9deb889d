// FHIR R4 AuditEvent mapping: codes per action, IHE BALP profiles and R4 invariants (FHIRPath), the folded
// disclosure, and a streamed Bundle whose every reference resolves.
import type { AuditEvent, AuditEventAgent, Bundle } from '@medplum/fhirtypes';
import {
  BALP_PROFILES,
  DCM,
  ENTITY_TYPE,
  exportEncoder,
  hostNetwork,
  LIFECYCLE,
  OBJECT_ROLE,
  REST_OPERATION,
  toFhirAuditEvent,
  type AuditEventInput,
  type FhirExportRow,
} from '../../src/audit';
import { auditEventProblems, broken, BUNDLE_INVARIANTS, bundleProblems, structuralErrors } from './fhir-rules';
import { PATIENT, SAMPLE_INPUTS, sampleRecord } from './fixtures';

const REQUEST_ROW = SAMPLE_INPUTS['llm.request'].id!;
const SOURCE = { name: 'shiftnote', site: 'ward-a:1', address: 'shiftnote-1.hospital.internal' };

/** The llm.request sample with the llm.response sample folded in (as scanFoldedAuditEvents returns it). */
function foldedRequest(result: AuditEventInput | null = SAMPLE_INPUTS['llm.response']): FhirExportRow {
  const request = sampleRecord(SAMPLE_INPUTS['llm.request'], 2);
  const response = result && sampleRecord(result, 3);
  return {
    ...request,
    result: response && {
      id: response.id,
      seq: response.seq,
      recordedAt: response.recordedAt,
      outcome: response.outcome,
      details: response.details,
    },
  };
}

const KINDS = Object.keys(SAMPLE_INPUTS).filter((k) => k !== 'llm.response');
const fhirOf = (kind: string): AuditEvent =>
  kind === 'llm.request' ? toFhirAuditEvent(foldedRequest(), SOURCE) : toFhirAuditEvent(sampleRecord(SAMPLE_INPUTS[kind]), SOURCE);
const agentOf = (event: AuditEvent, code: string): AuditEventAgent | undefined =>
  event.agent.find((a) => a.type?.coding?.some((c) => c.code === code));

test('the structural validator is live: it rejects a bad outcome code and an unknown property', () => {
  expect(structuralErrors({ ...fhirOf('summary.read'), outcome: '99', colour: 'blue' }).length).toBeGreaterThanOrEqual(2);
});

test.each(KINDS)('%s maps to a valid FHIR R4 AuditEvent that meets every rule of the profiles it claims', (kind) => {
  const event = fhirOf(kind);
  expect(structuralErrors(event)).toEqual([]);
  expect(auditEventProblems(event)).toEqual([]);
  expect(event.recorded).toBe('2026-11-25T10:15:30.123456Z');
  expect(event.source.observer.display).toBe('shiftnote');
  expect(event.agent.filter((a) => a.requestor)).toHaveLength(1);
});

test.each([
  ['summary.read', REST_OPERATION.code, ['read', LIFECYCLE.access.code], 'R', '0', BALP_PROFILES.patientRead],
  ['service summary.read', REST_OPERATION.code, ['read', LIFECYCLE.access.code], 'R', '0', BALP_PROFILES.patientRead],
  ['patient.list', REST_OPERATION.code, ['read', LIFECYCLE.access.code], 'R', '0', BALP_PROFILES.patientRead],
  ['llm.request', DCM.export.code, [LIFECYCLE.disclose.code], 'R', '8', BALP_PROFILES.disclosureSource],
  ['audit.read', DCM.auditLogUsed.code, [], 'R', '0', undefined],
  ['audit.export', DCM.auditLogUsed.code, [], 'E', '0', undefined],
  ['audit.verify', DCM.auditLogUsed.code, [], 'E', '0', undefined],
  ['audit.verify failure', DCM.securityAlert.code, [], 'E', '8', undefined],
])('%s → type %s, subtypes %j, action %s, outcome %s, profile %s', (kind, type, subtypes, action, outcome, profile) => {
  const event = fhirOf(kind);
  expect(event.type.code).toBe(type);
  expect((event.subtype ?? []).map((s) => s.code)).toEqual(subtypes);
  expect(event.action).toBe(action);
  expect(event.outcome).toBe(outcome);
  expect(event.meta?.profile).toEqual(profile ? [profile] : undefined);
});

test.each([
  ['success', '0'],
  ['minor_failure', '4'],
  ['serious_failure', '8'],
  ['major_failure', '12'],
] as const)('outcome %s → %s', (outcome, code) => {
  expect(toFhirAuditEvent(sampleRecord({ ...SAMPLE_INPUTS['audit.read'], outcome })).outcome).toBe(code);
});

describe('an outbound LLM request is one BALP disclosure, its result folded in', () => {
  test('source (this service, = observer), recipient (the endpoint) and requestor agents; patient and data entities', () => {
    const event = fhirOf('llm.request');
    expect(agentOf(event, DCM.sourceRole.code)).toEqual({
      type: { coding: [DCM.sourceRole] },
      who: event.source.observer,
      requestor: false,
      network: { address: 'shiftnote-1.hospital.internal', type: '1' },
    });
    expect(agentOf(event, DCM.destinationRole.code)).toMatchObject({
      requestor: false,
      who: { type: 'Device', identifier: { value: 'openai' }, display: 'openai (api.openai.com)' },
      network: { address: 'api.openai.com', type: '1' },
    });
    expect(agentOf(event, 'humanuser')).toMatchObject({ requestor: true, who: { identifier: { value: 'clin-1' } } });
    expect(event.purposeOfEvent?.[0].coding?.[0].code).toBe('TREAT');
    const patient = event.entity?.find((e) => e.role?.code === OBJECT_ROLE.patient.code);
    expect(patient).toEqual({
      what: { reference: `urn:uuid:${PATIENT}`, type: 'Patient', identifier: { system: 'urn:shiftnote:patient', value: PATIENT } },
      type: ENTITY_TYPE.person,
      role: OBJECT_ROLE.patient,
    });
    const data = event.entity?.find((e) => e.role?.code === OBJECT_ROLE.report.code);
    expect(data?.type?.code).toBe(ENTITY_TYPE.systemObject.code);
    expect(data?.description).toBe(
      'vital signs, NEWS2, medication adherence, care note excerpts, 7 days, identifiers redacted by pattern before sending (not certified de-identification)',
    );
    expect(Object.fromEntries((data?.detail ?? []).map((d) => [d.type, d.valueString]))).toMatchObject({
      requestSha256: 'a'.repeat(64),
      model: 'gpt-4o-mini',
      windowDays: '7',
      baa: 'true',
      status: '503',
      result: '5xx',
      latencyMs: '812.5',
      responseEventId: '00000000-0000-4000-8000-000000000003',
    });
  });

  test("the outcome is the attempt's: a failed answer is a serious failure with its reason", () => {
    const event = fhirOf('llm.request');
    expect(event).toMatchObject({ outcome: '8', outcomeDesc: '5xx, HTTP 503' });
    const ok = toFhirAuditEvent(
      foldedRequest({
        ...SAMPLE_INPUTS['llm.response'],
        outcome: 'success',
        details: { requestEventId: REQUEST_ROW, status: 200, result: 'success' },
      }),
      SOURCE,
    );
    expect(ok.outcome).toBe('0');
    expect(ok.outcomeDesc).toBeUndefined();
  });

  test('an attempt without a recorded result keeps its own outcome and says so', () => {
    const event = toFhirAuditEvent(foldedRequest(null), SOURCE);
    expect(event).toMatchObject({ outcome: '0', outcomeDesc: 'no llm.response row recorded for this attempt' });
    expect(auditEventProblems(event)).toEqual([]);
  });

  test('an llm.response row is never an event of its own', () => {
    expect(() => toFhirAuditEvent(sampleRecord(SAMPLE_INPUTS['llm.response']))).toThrow(/folded/);
  });
});

describe('a read of patient data is BALP PatientRead', () => {
  test('client at its TCP address, this service as server, the clinician as the information recipient', () => {
    const event = fhirOf('summary.read');
    expect(agentOf(event, DCM.destinationRole.code)).toEqual({
      type: { coding: [DCM.destinationRole] },
      who: { display: '::ffff:10.1.2.3' },
      requestor: false,
      network: { address: '10.1.2.3', type: '2' },
    });
    expect(agentOf(event, DCM.sourceRole.code)?.network).toEqual({ address: 'shiftnote-1.hospital.internal', type: '1' });
    expect(agentOf(event, 'IRCP')).toMatchObject({
      requestor: true,
      who: { identifier: { value: 'clin-1' } },
      role: [{ text: 'clinician' }],
    });
    const data = event.entity?.find((e) => e.type?.code === ENTITY_TYPE.systemObject.code);
    expect(data).toMatchObject({
      role: OBJECT_ROLE.report,
      what: { identifier: { system: 'urn:shiftnote:summary-fingerprint', value: 'f'.repeat(64) } },
    });
    expect(event.entity?.find((e) => e.type?.code === 'XrequestId')?.what?.identifier?.value).toBe('req-1');
  });

  test('a service token is the client and the requestor; there is no user agent', () => {
    const event = fhirOf('service summary.read');
    expect(agentOf(event, DCM.destinationRole.code)).toMatchObject({
      requestor: true,
      who: { identifier: { value: 'ward-board' } },
      network: { address: '192.0.2.7', type: '2' },
    });
    expect(agentOf(event, 'IRCP')).toBeUndefined();
  });

  test('a ward listing that showed identifiers names the ward and what was shown', () => {
    const data = fhirOf('patient.list').entity?.find((e) => e.type?.code === ENTITY_TYPE.systemObject.code);
    expect(data).toMatchObject({ role: OBJECT_ROLE.domainResource, what: { identifier: { system: 'urn:shiftnote:ward' } } });
    expect(data?.detail).toContainEqual({ type: 'identifiersShown', valueString: 'name, birthDate, mrn' });
  });

  test('a row recorded without the client address is valid R4 but claims no BALP profile', () => {
    const { clientAddress: _dropped, ...details } = SAMPLE_INPUTS['summary.read'].details;
    const event = toFhirAuditEvent(sampleRecord({ ...SAMPLE_INPUTS['summary.read'], details }));
    expect(event.meta).toBeUndefined();
    expect(structuralErrors(event)).toEqual([]);
    expect(auditEventProblems(event)).toEqual([]);
  });
});

const mutate = (kind: string, change: (e: any) => void): AuditEvent => {
  const event = structuredClone(fhirOf(kind)) as any;
  change(event);
  return event;
};

test.each([
  ['read: outcome not success', 'read-outcome', 'summary.read', (e: any) => (e.outcome = '4')],
  ['read: server without network', 'read-server', 'summary.read', (e: any) => delete e.agent[1].network],
  ['read: two clients', 'read-client', 'summary.read', (e: any) => e.agent.push(e.agent[0])],
  ['read: user with a network', 'read-user', 'summary.read', (e: any) => (e.agent[2].network = { address: '10.0.0.1', type: '2' })],
  ['read: no patient', 'read-patient', 'summary.read', (e: any) => e.entity.splice(0, 1)],
  ['read: data role outside RestObjectRoles', 'read-data', 'summary.read', (e: any) => (e.entity[1].role = OBJECT_ROLE.query)],
  ['read: type changed', 'read-type', 'summary.read', (e: any) => (e.type = DCM.export)],
  [
    'disclosure: source agent is not the observer',
    'val-audit-source',
    'llm.request',
    (e: any) => (e.agent[0].who = { display: 'someone else' }),
  ],
  ['disclosure: recipient without network', 'disc-recipient', 'llm.request', (e: any) => delete e.agent[1].network],
  ['disclosure: no disclose subtype', 'disc-subtype', 'llm.request', (e: any) => (e.subtype = [LIFECYCLE.access])],
  [
    'disclosure: patient without a Patient reference',
    'disc-patient',
    'llm.request',
    (e: any) => (e.entity[0].what = { reference: 'Device/x' }),
  ],
  ['R4: an entity with a name and a query', 'sev-1', 'audit.read', (e: any) => (e.entity[1].name = 'x')],
  ['R4: an empty element', 'ele-1', 'audit.read', (e: any) => (e.agent[0].who = {})],
])('the rules have teeth: %s → %s', (_name, rule, kind, change) => {
  expect(auditEventProblems(fhirOf(kind))).toEqual([]);
  expect(auditEventProblems(mutate(kind, change)).join(' ')).toContain(rule);
});

test.each([
  ['api.openai.com', { address: 'api.openai.com', type: '1' }],
  ['my-resource.openai.azure.com:443', { address: 'my-resource.openai.azure.com', type: '1' }],
  ['127.0.0.1:41234', { address: '127.0.0.1', type: '2' }],
  ['[::1]:8080', { address: '::1', type: '2' }],
  ['2001:db8::7', { address: '2001:db8::7', type: '2' }],
])('an endpoint host %s → network %j', (host, network) => {
  expect(hostNetwork(host)).toEqual(network);
});

describe('the streamed FHIR Bundle', () => {
  const OTHER = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
  function bundleOf(rows: FhirExportRow[], cut: number): Bundle {
    const encoder = exportEncoder('fhir', {
      source: SOURCE,
      bundleId: 'b0d1e2f3-0000-4000-8000-000000000000',
      timestamp: '2026-11-25T10:15:30.123456Z',
    });
    return JSON.parse(
      encoder.begin() + encoder.rows(rows.slice(0, cut)) + encoder.rows([]) + encoder.rows(rows.slice(cut)) + encoder.end(),
    );
  }
  const rows = (): FhirExportRow[] =>
    KINDS.map((kind, i) =>
      kind === 'llm.request' ? foldedRequest() : sampleRecord({ ...SAMPLE_INPUTS[kind], id: undefined }, i + 10),
    ).concat([
      sampleRecord({ ...SAMPLE_INPUTS['summary.read'], patientId: OTHER }, 90),
      // Defensive: a response row handed to the encoder is folded, not exported.
      sampleRecord(SAMPLE_INPUTS['llm.response'], 91),
    ]);

  test.each([0, 3, 7])('one valid Bundle whatever the batching (cut after %i rows): every rule holds, every reference resolves', (cut) => {
    const bundle = bundleOf(rows(), cut);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundleProblems(bundle)).toEqual([]);
    const resources = bundle.entry!.map((e) => e.resource!);
    expect(resources.filter((r) => r.resourceType === 'AuditEvent')).toHaveLength(KINDS.length + 1);
    expect(
      resources
        .filter((r) => r.resourceType === 'Patient')
        .map((r) => r.id)
        .sort(),
    ).toEqual([PATIENT, OTHER].sort());
    // Each Patient entry comes before the first event naming it, and carries no identifier of the person.
    const firstUse = (id: string) => bundle.entry!.findIndex((e) => JSON.stringify(e.resource).includes(`"urn:uuid:${id}"`));
    for (const id of [PATIENT, OTHER]) expect(bundle.entry!.findIndex((e) => e.fullUrl === `urn:uuid:${id}`)).toBeLessThan(firstUse(id));
    expect(resources.find((r) => r.resourceType === 'Patient')).toEqual({
      resourceType: 'Patient',
      id: expect.any(String),
      identifier: [{ system: 'urn:shiftnote:patient', value: expect.any(String) }],
    });
    // One disclosure event: the request, with its response folded in.
    expect(resources.filter((r) => r.resourceType === 'AuditEvent' && r.subtype?.some((s) => s.code === 'disclose'))).toHaveLength(1);
  });

  test.each([
    [
      'a dangling reference',
      'refs-resolve',
      (b: any) =>
        b.entry.splice(
          b.entry.findIndex((e: any) => e.resource.resourceType === 'Patient'),
          1,
        ),
    ],
    [
      'a reference typed Patient naming a Device',
      'refs-typed',
      (b: any) => (b.entry.find((e: any) => e.resource.resourceType === 'Patient').resource = { resourceType: 'Device', id: 'x' }),
    ],
    ['a duplicate fullUrl', 'bdl-7', (b: any) => b.entry.push(b.entry[b.entry.length - 1])],
    ['a search entry in a collection', 'bdl-2', (b: any) => (b.entry[0].search = { mode: 'match' })],
  ])('the Bundle rules have teeth: %s → %s', (_name, rule, change) => {
    const bundle = bundleOf(rows(), 2) as any;
    expect(broken(bundle, BUNDLE_INVARIANTS)).toEqual([]);
    change(bundle);
    expect(broken(bundle, BUNDLE_INVARIANTS)).toContain(rule);
  });
});
