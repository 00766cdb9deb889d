// FHIR R4 / DICOM / IHE BALP audit codes, named once: the FHIR export and its tests import them from here.
import type { Coding } from '@medplum/fhirtypes';
import type { AuditOutcome, PurposeOfUse } from './types';

export const SYSTEMS = {
  dcm: 'http://dicom.nema.org/resources/ontology/DCM',
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  lifecycle: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  securityRoleType: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  balpEntityType: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
  /** Our identifier namespaces: token subjects, the service itself, its patients, summaries, wards and audit rows. */
  actor: 'urn:shiftnote:actor',
  service: 'urn:shiftnote:service',
  llmProvider: 'urn:shiftnote:llm-provider',
  requestId: 'urn:shiftnote:request-id',
  patient: 'urn:shiftnote:patient',
  summary: 'urn:shiftnote:summary-fingerprint',
  ward: 'urn:shiftnote:ward',
  auditEvent: 'urn:shiftnote:audit-event',
} as const;

/** IHE Basic Audit Log Patterns (BALP 1.1) profiles an event claims in meta.profile when it meets them. */
export const BALP_PROFILES = {
  patientRead: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead',
  disclosureSource: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source',
} as const;

export type FhirCoding = Required<Pick<Coding, 'system' | 'code' | 'display'>>;

const dcm = (code: string, display: string): FhirCoding => ({ system: SYSTEMS.dcm, code, display });

/** AuditEvent.type and agent types (DICOM PS3.16 CID 400/402/403). */
export const DCM = {
  auditLogUsed: dcm('110101', 'Audit Log Used'),
  export: dcm('110106', 'Export'),
  securityAlert: dcm('110113', 'Security Alert'),
  application: dcm('110150', 'Application'),
  destinationRole: dcm('110152', 'Destination Role ID'),
  sourceRole: dcm('110153', 'Source Role ID'),
} as const;

/** BALP Read: AuditEvent.type rest, subtype read (FHIR restful-interaction). */
export const REST_OPERATION: FhirCoding = { system: SYSTEMS.auditEventType, code: 'rest', display: 'Restful Operation' };
export const REST_READ: FhirCoding = { system: SYSTEMS.restfulInteraction, code: 'read', display: 'read' };

/** AuditEvent.subtype (ISO 21089 record lifecycle events). */
export const LIFECYCLE = {
  access: { system: SYSTEMS.lifecycle, code: 'access', display: 'Access/View Record Lifecycle Event' },
  disclose: { system: SYSTEMS.lifecycle, code: 'disclose', display: 'Disclose Record Lifecycle Event' },
} as const satisfies Record<string, FhirCoding>;

export const ENTITY_TYPE = {
  person: { system: SYSTEMS.entityType, code: '1', display: 'Person' },
  systemObject: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
} as const satisfies Record<string, FhirCoding>;

export const OBJECT_ROLE = {
  patient: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
  report: { system: SYSTEMS.objectRole, code: '3', display: 'Report' },
  domainResource: { system: SYSTEMS.objectRole, code: '4', display: 'Domain Resource' },
  securityResource: { system: SYSTEMS.objectRole, code: '13', display: 'Security Resource' },
  query: { system: SYSTEMS.objectRole, code: '24', display: 'Query' },
} as const satisfies Record<string, FhirCoding>;

/** IHE BALP: the entity carrying the X-Request-Id, to join the audit trail with logs and traces. */
export const REQUEST_ID_ENTITY: FhirCoding = {
  system: SYSTEMS.balpEntityType,
  code: 'XrequestId',
  display: 'transport specific unique identifier where http X-Request-Id is used',
};

/** BALP's user agent on reads: the person who received the information. */
export const INFORMATION_RECIPIENT: FhirCoding = { system: SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' };
export const HUMAN_USER: FhirCoding = { system: SYSTEMS.securityRoleType, code: 'humanuser', display: 'human user' };
export const APPLICATION_SERVER: FhirCoding = { system: SYSTEMS.sourceType, code: '4', display: 'Application Server' };

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
} as const satisfies Record<PurposeOfUse, FhirCoding>;

/** network-type: 1 machine name (DNS name), 2 IP address. */
export const NETWORK_TYPE = { machineName: '1', ipAddress: '2' } as const;
