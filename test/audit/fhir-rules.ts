// The rules an exported AuditEvent Bundle is held to, as FHIRPath: FHIR R4 invariants, IHE BALP profiles, references.
// BALP rules are transcribed from the IG's FSH sources (IHE/ITI.BasicAudit input/fsh/PatientRead.fsh, Disclose.fsh);
// R4 invariants from the R4 StructureDefinitions (AuditEvent sev-1, DomainResource dom-2…5, Element ele-1, Bundle bdl-*).
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { Fhir } from 'fhir';
import { BALP_PROFILES } from '../../src/audit';

export interface Rule {
  id: string;
  human: string;
  expression: string;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const coded = (system: string, code: string) => `coding.where(system = '${system}' and code = '${code}').exists()`;
const agentsOf = (system: string, code: string) => `agent.where(type.${coded(system, code)})`;
const entitiesOf = (system: string, code: string) => `entity.where(type.system = '${system}' and type.code = '${code}')`;
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const patientSlice = entitiesOf(ENTITY_TYPE, '1');

/** FHIR R4 invariants of AuditEvent and of every element in it. */
export const AUDIT_EVENT_INVARIANTS: Rule[] = [
  { id: 'sev-1', human: 'Either a name or a query (NOT both)', expression: 'entity.all(name.empty() or query.empty())' },
  {
    id: 'dom-2',
    human: 'If the resource is contained in another resource, it SHALL NOT contain nested Resources',
    expression: 'contained.contained.empty()',
  },
  {
    id: 'dom-3',
    human: 'Contained resources SHALL be referred to from elsewhere in the resource',
    expression: "contained.empty() or contained.all(('#' + id) in %resource.descendants().reference)",
  },
  {
    id: 'dom-4',
    human: 'A contained resource SHALL NOT have a meta.versionId or a meta.lastUpdated',
    expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
  },
  { id: 'dom-5', human: 'A contained resource SHALL NOT have a security label', expression: 'contained.meta.security.empty()' },
  {
    id: 'ele-1',
    human: 'All FHIR elements must have a @value or children',
    expression: 'descendants().all(hasValue() or (children().count() > id.count()))',
  },
  { id: 'core-agent', human: 'AuditEvent.agent 1..*, each with requestor', expression: 'agent.exists() and agent.all(requestor.exists())' },
  { id: 'core-source', human: 'AuditEvent.source.observer 1..1', expression: 'source.observer.exists()' },
];

/** FHIR R4 Bundle invariants. */
export const BUNDLE_INVARIANTS: Rule[] = [
  { id: 'bdl-1', human: 'total only when a search or history', expression: "total.empty() or (type = 'searchset') or (type = 'history')" },
  { id: 'bdl-2', human: 'entry.search only when a search', expression: "entry.search.empty() or (type = 'searchset')" },
  {
    id: 'bdl-3',
    human: 'entry.request mandatory for batch/transaction/history, otherwise prohibited',
    expression: "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
  },
  {
    id: 'bdl-4',
    human: 'entry.response mandatory for batch-response/transaction-response/history, otherwise prohibited',
    expression:
      "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
  },
  {
    id: 'bdl-5',
    human: "must be a resource unless there's a request or response",
    expression: 'entry.all(resource.exists() or request.exists() or response.exists())',
  },
  {
    id: 'bdl-7',
    human: 'FullUrl must be unique in a bundle',
    expression: "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
  },
  { id: 'bdl-8', human: 'fullUrl cannot be a version specific reference', expression: "entry.all(fullUrl.contains('/_history/').not())" },
  {
    id: 'bdl-9',
    human: 'A document must have an identifier with a system and a value',
    expression: "type = 'document' implies (identifier.system.exists() and identifier.value.exists())",
  },
  { id: 'bdl-10', human: 'A document must have a date', expression: "type = 'document' implies (timestamp.hasValue())" },
  {
    id: 'bdl-11',
    human: 'A document must have a Composition as the first resource',
    expression: "type = 'document' implies entry.first().resource.is(Composition)",
  },
  {
    id: 'bdl-12',
    human: 'A message must have a MessageHeader as the first resource',
    expression: "type = 'message' implies entry.first().resource.is(MessageHeader)",
  },
  // Not an R4 invariant: what the export promises (urn:uuid fullUrls, Patient entries for the patients named).
  {
    id: 'refs-resolve',
    human: 'Every literal reference inside the Bundle names an entry of the Bundle',
    expression: 'entry.resource.descendants().reference.all(%resource.entry.fullUrl contains $this)',
  },
  {
    id: 'refs-typed',
    human: 'A typed reference names an entry of that resource type',
    expression:
      "entry.resource.descendants().where(reference.exists() and type.exists()).all(defineVariable('ref', reference).defineVariable('t', type).select(%resource.entry.where(fullUrl = %ref).resource.where(resourceType = %t)).count() = 1)",
  },
];

/** BALP Read + PatientRead (IHE.BasicAudit.PatientRead). */
const PATIENT_READ: Rule[] = [
  {
    id: 'read-type',
    human: 'type = audit-event-type#rest',
    expression: "type.system = 'http://terminology.hl7.org/CodeSystem/audit-event-type' and type.code = 'rest'",
  },
  {
    id: 'read-subtype',
    human: 'subtype[anyRead] 1..1 from read | vread',
    expression: "subtype.where(system = 'http://hl7.org/fhir/restful-interaction' and (code = 'read' or code = 'vread')).count() = 1",
  },
  { id: 'read-action', human: 'action = R', expression: "action = 'R'" },
  { id: 'read-recorded', human: 'recorded 1..1', expression: 'recorded.exists()' },
  { id: 'read-outcome', human: 'outcome = 0 (success), 1..1', expression: "outcome = '0'" },
  { id: 'read-agents', human: 'agent 2..*', expression: 'agent.count() >= 2' },
  {
    id: 'read-client',
    human: 'agent[client] (DCM 110152) 1..1 with who and network, no media',
    expression: `${agentsOf(DCM, '110152')}.count() = 1 and ${agentsOf(DCM, '110152')}.all(who.exists() and network.exists() and media.empty())`,
  },
  {
    id: 'read-server',
    human: 'agent[server] (DCM 110153) 1..1 with who and network, no media',
    expression: `${agentsOf(DCM, '110153')}.count() = 1 and ${agentsOf(DCM, '110153')}.all(who.exists() and network.exists() and media.empty())`,
  },
  {
    id: 'read-user',
    human: 'agent[user] (v3-ParticipationType IRCP) 0..1: who, requestor = true, no media, no network',
    expression: `${agentsOf('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP')}.count() <= 1 and ${agentsOf('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP')}.all(who.exists() and requestor = true and media.empty() and network.empty())`,
  },
  { id: 'read-entities', human: 'entity 2..* (PatientRead)', expression: 'entity.count() >= 2' },
  {
    id: 'read-transaction',
    human: 'entity[transaction] (BasicAuditEntityType XrequestId) 0..1 with what.identifier.value',
    expression: `${entitiesOf('https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType', 'XrequestId')}.count() <= 1 and ${entitiesOf('https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType', 'XrequestId')}.all(what.identifier.value.exists())`,
  },
  {
    id: 'read-data',
    human: 'entity[data] (audit-entity-type 2) 1..1, role from RestObjectRoles (4, 3, 20), what 1..1',
    expression: `${entitiesOf(ENTITY_TYPE, '2')}.count() = 1 and ${entitiesOf(ENTITY_TYPE, '2')}.all(role.system = '${OBJECT_ROLE}' and (role.code = '4' or role.code = '3' or role.code = '20') and what.exists())`,
  },
  {
    id: 'read-patient',
    human: 'entity[patient] (audit-entity-type 1) 1..1, role object-role#1, what Reference(Patient)',
    expression: `${patientSlice}.count() = 1 and ${patientSlice}.all(role.system = '${OBJECT_ROLE}' and role.code = '1' and what.exists() and (what.type = 'Patient' or what.reference.startsWith('Patient/')))`,
  },
];

/** BALP Privacy Disclosure at Source (IHE.BasicAudit.PrivacyDisclosure.Source). */
const DISCLOSURE_SOURCE: Rule[] = [
  { id: 'disc-modext', human: 'modifierExtension 0..0', expression: 'modifierExtension.empty()' },
  { id: 'disc-type', human: 'type = DCM#110106 (Export)', expression: `type.system = '${DCM}' and type.code = '110106'` },
  { id: 'disc-action', human: 'action = R', expression: "action = 'R'" },
  {
    id: 'disc-subtype',
    human: 'subtype[disclosure] = iso-21089-lifecycle#disclose, 1..1',
    expression: "subtype.where(system = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle' and code = 'disclose').count() = 1",
  },
  { id: 'disc-recorded', human: 'recorded 1..1', expression: 'recorded.exists()' },
  { id: 'disc-outcome', human: 'outcome 1..1', expression: 'outcome.exists()' },
  { id: 'disc-agents', human: 'agent 2..*', expression: 'agent.count() >= 2' },
  {
    id: 'disc-source',
    human: 'agent[source] (DCM 110153) 1..1 with who and network',
    expression: `${agentsOf(DCM, '110153')}.count() = 1 and ${agentsOf(DCM, '110153')}.all(who.exists() and network.exists())`,
  },
  {
    id: 'val-audit-source',
    human: 'The Audit Source is this agent too',
    expression: `${agentsOf(DCM, '110153')}.all(who = %resource.source.observer)`,
  },
  {
    id: 'disc-recipient',
    human: 'agent[recipient] (DCM 110152) 1..1 with who and network',
    expression: `${agentsOf(DCM, '110152')}.count() = 1 and ${agentsOf(DCM, '110152')}.all(who.exists() and network.exists())`,
  },
  {
    id: 'disc-custodian',
    human: 'agent[custodian] (SCT 159541003) 0..1 with who',
    expression: `${agentsOf('http://snomed.info/sct', '159541003')}.count() <= 1 and ${agentsOf('http://snomed.info/sct', '159541003')}.all(who.exists())`,
  },
  {
    id: 'disc-authorizer',
    human: 'agent[authorizer] (SCT 429577009) 0..1 with who',
    expression: `${agentsOf('http://snomed.info/sct', '429577009')}.count() <= 1 and ${agentsOf('http://snomed.info/sct', '429577009')}.all(who.exists())`,
  },
  { id: 'disc-entities', human: 'entity 2..*', expression: 'entity.count() >= 2' },
  {
    id: 'disc-patient',
    human: 'entity[patient] (audit-entity-type 1) 1..1, role object-role#1, what Reference(Patient)',
    expression: `${patientSlice}.count() = 1 and ${patientSlice}.all(role.system = '${OBJECT_ROLE}' and role.code = '1' and what.exists() and (what.type = 'Patient' or what.reference.startsWith('Patient/')))`,
  },
];

export const PROFILE_RULES: Record<string, Rule[]> = {
  [BALP_PROFILES.patientRead]: PATIENT_READ,
  [BALP_PROFILES.disclosureSource]: DISCLOSURE_SOURCE,
};

/** The ids of the rules `resource` breaks. */
export function broken(resource: object, rules: Rule[]): string[] {
  return rules
    .filter((rule) => {
      const [ok] = fhirpath.evaluate(resource, rule.expression, { resource }, r4) as unknown[];
      return ok !== true;
    })
    .map((rule) => rule.id);
}

/** Every rule an AuditEvent breaks: R4 invariants, and the rules of each BALP profile it claims. */
export function auditEventProblems(event: { meta?: { profile?: string[] } }): string[] {
  const claimed = event.meta?.profile ?? [];
  const unknown = claimed.filter((p) => !PROFILE_RULES[p]).map((p) => `unknown profile ${p}`);
  return [
    ...unknown,
    ...broken(event, AUDIT_EVENT_INVARIANTS),
    ...claimed.flatMap((p) => broken(event, PROFILE_RULES[p] ?? []).map((id) => `${p.split('/').pop()}: ${id}`)),
  ];
}

const validator = new Fhir();

/** The `fhir` package's structural R4 validation, errors only (its bundled value sets lack DCM, BALP and THO codes). */
export function structuralErrors(resource: object): string[] {
  return validator
    .validate(resource, { errorOnUnexpected: true })
    .messages.filter((m) => {
      const severity: string = m.severity ?? '';
      return severity === 'error' || severity === 'fatal' || (severity === 'warning' && !/not found in value set/.test(m.message ?? ''));
    })
    .map((m) => `${m.location}: ${m.message}`);
}

/** Everything wrong with an exported Bundle: structure, Bundle invariants, and each event's problems. */
export function bundleProblems(bundle: { entry?: { resource?: { resourceType: string; id?: string } }[] }): string[] {
  const events = (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'AuditEvent' ? [e.resource] : []));
  return [
    ...structuralErrors(bundle),
    ...broken(bundle, BUNDLE_INVARIANTS),
    ...events.flatMap((event) => auditEventProblems(event as never).map((p) => `${event.id}: ${p}`)),
  ];
}
