// Maps a stored audit row to a FHIR R4 AuditEvent (IHE BALP patterns; codes from ./codes).
import type { AuditRecord, Json } from './chain';
import { canonicalJson } from './chain';
import {
  APPLICATION_SERVER,
  DCM,
  ENTITY_TYPE,
  HUMAN_USER,
  LIFECYCLE,
  NETWORK_MACHINE_NAME,
  OBJECT_ROLE,
  OUTCOME_CODE,
  PURPOSE_OF_USE,
  REQUEST_ID_ENTITY,
  SYSTEMS,
  type Coding,
  type FhirAuditAction,
} from './codes';

interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

interface Reference {
  reference?: string;
  type?: string;
  identifier?: { system?: string; value: string };
  display?: string;
}

export interface FhirAuditAgent {
  type?: CodeableConcept;
  role?: CodeableConcept[];
  who?: Reference;
  requestor: boolean;
  network?: { address: string; type: string };
  purposeOfUse?: CodeableConcept[];
}

export interface FhirAuditEntity {
  what?: Reference;
  type?: Coding;
  role?: Coding;
  description?: string;
  /** base64; FHIR sev-1: an entity has a name or a query, never both (we never set name). */
  query?: string;
  detail?: { type: string; valueString: string }[];
}

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype?: Coding[];
  action?: FhirAuditAction;
  recorded: string;
  outcome?: string;
  outcomeDesc?: string;
  purposeOfEvent?: CodeableConcept[];
  agent: FhirAuditAgent[];
  source: { site?: string; observer: Reference; type?: Coding[] };
  entity?: FhirAuditEntity[];
}

export interface FhirSource {
  /** The service's name (observer and application agent display). */
  name: string;
  /** e.g. the deployment or instance; optional. */
  site?: string;
}

const DEFAULT_SOURCE: FhirSource = { name: 'shiftnote' };

type JsonObject = { [key: string]: Json };

function asObject(value: Json): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function text(value: Json | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : canonicalJson(v))).join(', ') : canonicalJson(value);
}

/** `detail` entries for the given keys that are present, each as a string (R4 allows string or base64). */
function details(obj: JsonObject, keys: string[]): FhirAuditEntity['detail'] {
  const out = keys.flatMap((key) => {
    const value = text(obj[key]);
    return value === undefined ? [] : [{ type: key, valueString: value }];
  });
  return out.length ? out : undefined;
}

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function serviceRef(source: FhirSource): Reference {
  return { type: 'Device', identifier: { system: SYSTEMS.service, value: source.name }, display: source.name };
}

function purposes(record: AuditRecord): CodeableConcept[] | undefined {
  const coding = PURPOSE_OF_USE[record.purposeOfUse as keyof typeof PURPOSE_OF_USE];
  return coding ? [{ coding: [coding] }] : undefined;
}

/** The accountable actor: a person, or a calling system when the token only carries `service`. */
function requestor(record: AuditRecord): FhirAuditAgent {
  const roles = record.actorRoles ?? [];
  const human = roles.some((r) => r !== 'service');
  return {
    type: { coding: [human ? HUMAN_USER : DCM.application] },
    role: roles.length ? roles.map((r) => ({ text: r })) : undefined,
    who: { identifier: { system: SYSTEMS.actor, value: record.actorId } },
    requestor: true,
    purposeOfUse: purposes(record),
  };
}

const application = (source: FhirSource): FhirAuditAgent => ({ type: { coding: [DCM.application] }, who: serviceRef(source), requestor: false });

function patientEntity(record: AuditRecord): FhirAuditEntity[] {
  if (!record.patientId) return [];
  return [{ what: { reference: `Patient/${record.patientId}` }, type: ENTITY_TYPE.person, role: OBJECT_ROLE.patient }];
}

function requestIdEntity(record: AuditRecord): FhirAuditEntity {
  return { what: { identifier: { system: SYSTEMS.requestId, value: record.requestId } }, type: REQUEST_ID_ENTITY };
}

/** 164.528 "brief description": categories and window, never content. */
export function disclosureDescription(d: JsonObject): string {
  const categories = Array.isArray(d.dataCategories) ? d.dataCategories.filter((c): c is string => typeof c === 'string') : [];
  const days = typeof d.windowDays === 'number' ? `${d.windowDays} days` : 'unspecified window';
  return [...categories, days, 'no direct identifiers'].join(', ');
}

function llmEvent(record: AuditRecord, source: FhirSource): Pick<FhirAuditEvent, 'type' | 'subtype' | 'action' | 'agent' | 'entity' | 'outcomeDesc'> {
  const target = asObject(record.target);
  const d = asObject(record.details);
  const host = typeof target.host === 'string' ? target.host : undefined;
  const provider = typeof target.provider === 'string' ? target.provider : 'unknown provider';
  const recipient: FhirAuditAgent = {
    type: { coding: [DCM.destinationRole] },
    who: { identifier: { system: SYSTEMS.llmProvider, value: provider }, display: host ? `${provider} (${host})` : provider },
    requestor: false,
    network: host ? { address: host, type: NETWORK_MACHINE_NAME } : undefined,
  };
  const sender: FhirAuditAgent = { type: { coding: [DCM.sourceRole] }, who: serviceRef(source), requestor: false };
  const isRequest = record.action === 'llm.request';
  const data: FhirAuditEntity = isRequest
    ? {
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.report,
        description: disclosureDescription(d),
        detail: details({ ...d, model: target.model ?? null }, ['requestSha256', 'model', 'windowDays', 'dataCategories', 'promptVersion', 'requestBytes', 'attempt', 'hedge']),
      }
    : {
        // The result is its own row pointing at the attempt it answers; never an update of it.
        what: typeof d.requestEventId === 'string' ? { reference: `AuditEvent/${d.requestEventId}` } : undefined,
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.report,
        detail: details(d, ['status', 'result', 'latencyMs', 'inputTokens', 'outputTokens', 'attempt', 'hedge']),
      };
  return {
    type: DCM.export,
    subtype: [LIFECYCLE.disclose],
    action: 'R',
    agent: [sender, recipient, requestor(record)],
    entity: [...patientEntity(record), data],
    outcomeDesc: !isRequest && record.outcome !== 'success' ? text(d.result) : undefined,
  };
}

function summaryReadEvent(record: AuditRecord, source: FhirSource): Pick<FhirAuditEvent, 'type' | 'subtype' | 'action' | 'agent' | 'entity'> {
  const d = asObject(record.details);
  return {
    type: DCM.patientRecord,
    subtype: [LIFECYCLE.access],
    action: 'R',
    agent: [requestor(record), application(source)],
    entity: [
      ...patientEntity(record),
      {
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.query,
        query: base64(canonicalJson({ windowDays: d.windowDays ?? null })),
        detail: details(d, ['windowDays', 'source', 'provider', 'model', 'grounded', 'promptVersion']),
      },
    ],
  };
}

function auditUseEvent(record: AuditRecord, source: FhirSource): Pick<FhirAuditEvent, 'type' | 'action' | 'agent' | 'entity' | 'outcomeDesc'> {
  const d = asObject(record.details);
  if (record.action === 'audit.verify') {
    const failed = record.outcome !== 'success';
    return {
      type: failed ? DCM.securityAlert : DCM.auditLogUsed,
      action: 'E',
      agent: [application(source), requestor(record)],
      entity: [
        {
          what: typeof d.firstBrokenId === 'string' ? { reference: `AuditEvent/${d.firstBrokenId}` } : undefined,
          type: ENTITY_TYPE.systemObject,
          role: OBJECT_ROLE.securityResource,
          description: failed ? `audit chain broken at seq ${text(d.firstBrokenSeq) ?? '?'} (${text(d.reason) ?? 'unknown'})` : 'audit chain verified',
          detail: details(d, ['checked', 'firstBrokenSeq', 'reason', 'headSeq']),
        },
      ],
      outcomeDesc: failed ? 'audit hash chain verification failed' : undefined,
    };
  }
  return {
    type: DCM.auditLogUsed,
    action: record.action === 'audit.export' ? 'E' : 'R',
    agent: [requestor(record)],
    entity: [
      ...patientEntity(record),
      {
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.query,
        query: base64(canonicalJson(d.filters ?? {})),
        detail: details(d, ['filters', 'format', 'eventId', 'returned', 'view']),
      },
    ],
  };
}

export function toFhirAuditEvent(record: AuditRecord, source: FhirSource = DEFAULT_SOURCE): FhirAuditEvent {
  const specific =
    record.action === 'llm.request' || record.action === 'llm.response'
      ? llmEvent(record, source)
      : record.action === 'summary.read'
        ? summaryReadEvent(record, source)
        : auditUseEvent(record, source);
  const event: FhirAuditEvent = {
    resourceType: 'AuditEvent',
    id: record.id,
    type: specific.type,
    subtype: 'subtype' in specific ? specific.subtype : undefined,
    action: specific.action,
    recorded: record.recordedAt,
    outcome: OUTCOME_CODE[record.outcome as keyof typeof OUTCOME_CODE],
    outcomeDesc: 'outcomeDesc' in specific ? specific.outcomeDesc : undefined,
    purposeOfEvent: purposes(record),
    agent: specific.agent,
    source: { site: source.site, observer: serviceRef(source), type: [APPLICATION_SERVER] },
    entity: [...(specific.entity ?? []), requestIdEntity(record)],
  };
  // Drop undefined members so the JSON carries no empty keys.
  return JSON.parse(JSON.stringify(event)) as FhirAuditEvent;
}
