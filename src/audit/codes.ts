// FHIR R4 / DICOM audit codes, named once: the FHIR export and its tests import them from here.
import type { AuditOutcome, PurposeOfUse } from './types';

export const SYSTEMS = {
  dcm: 'http://dicom.nema.org/resources/ontology/DCM',
  lifecycle: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  securityRoleType: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  networkType: 'http://terminology.hl7.org/CodeSystem/network-type',
  /** Our identifier namespaces: token subjects and the service itself. */
  actor: 'urn:shiftnote:actor',
  service: 'urn:shiftnote:service',
  llmProvider: 'urn:shiftnote:llm-provider',
  requestId: 'urn:shiftnote:request-id',
  balpEntityType: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
} as const;

export interface Coding {
  system: string;
  code: string;
  display: string;
}

const dcm = (code: string, display: string): Coding => ({ system: SYSTEMS.dcm, code, display });

/** AuditEvent.type and agent types (DICOM PS3.16 CID 400/402/403). */
export const DCM = {
  auditLogUsed: dcm('110101', 'Audit Log Used'),
  export: dcm('110106', 'Export'),
  patientRecord: dcm('110110', 'Patient Record'),
  securityAlert: dcm('110113', 'Security Alert'),
  application: dcm('110150', 'Application'),
  destinationRole: dcm('110152', 'Destination Role ID'),
  sourceRole: dcm('110153', 'Source Role ID'),
} as const;

/** AuditEvent.subtype (ISO 21089 record lifecycle events). */
export const LIFECYCLE = {
  access: { system: SYSTEMS.lifecycle, code: 'access', display: 'Access/View Record Lifecycle Event' },
  disclose: { system: SYSTEMS.lifecycle, code: 'disclose', display: 'Disclose Record Lifecycle Event' },
} as const satisfies Record<string, Coding>;

export const ENTITY_TYPE = {
  person: { system: SYSTEMS.entityType, code: '1', display: 'Person' },
  systemObject: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
} as const satisfies Record<string, Coding>;

export const OBJECT_ROLE = {
  patient: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
  report: { system: SYSTEMS.objectRole, code: '3', display: 'Report' },
  securityResource: { system: SYSTEMS.objectRole, code: '13', display: 'Security Resource' },
  query: { system: SYSTEMS.objectRole, code: '24', display: 'Query' },
} as const satisfies Record<string, Coding>;

/** IHE BALP: the entity carrying the X-Request-Id, to join the audit trail with logs and traces. */
export const REQUEST_ID_ENTITY: Coding = { system: SYSTEMS.balpEntityType, code: 'XrequestId', display: 'X-Request-Id' };

export const HUMAN_USER: Coding = { system: SYSTEMS.securityRoleType, code: 'humanuser', display: 'human user' };
export const APPLICATION_SERVER: Coding = { system: SYSTEMS.sourceType, code: '4', display: 'Application Server' };

/** AuditEvent.action: C create, R read/view, U update, D delete, E execute (export, verify). */
export type FhirAuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** audit-event-outcome. */
export const OUTCOME_CODE = {
  success: '0',
  minor_failure: '4',
  serious_failure: '8',
  major_failure: '12',
} as const satisfies Record<AuditOutcome, string>;

export const PURPOSE_OF_USE = {
  TREAT: { system: SYSTEMS.actReason, code: 'TREAT', display: 'treatment' },
  HOPERAT: { system: SYSTEMS.actReason, code: 'HOPERAT', display: 'healthcare operations' },
} as const satisfies Record<PurposeOfUse, Coding>;

/** network-type 1: the address is a machine name (the LLM endpoint's host). */
export const NETWORK_MACHINE_NAME = '1';
