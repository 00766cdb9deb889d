// Maps stored audit rows to FHIR R4 AuditEvents following IHE BALP where a profile applies (codes from ./codes).
import os from 'node:os';
import type { AuditEvent, AuditEventAgent, AuditEventEntity, CodeableConcept, Device, Patient, Reference } from '@medplum/fhirtypes';
import type { AuditRecord, Json } from './chain';
import { canonicalJson } from './chain';
import {
  APPLICATION_SERVER,
  BALP_PROFILES,
  DCM,
  ENTITY_TYPE,
  HUMAN_USER,
  INFORMATION_RECIPIENT,
  LIFECYCLE,
  NETWORK_TYPE,
  OBJECT_ROLE,
  OUTCOME_CODE,
  PURPOSE_OF_USE,
  REQUEST_ID_ENTITY,
  REST_OPERATION,
  REST_READ,
  SYSTEMS,
} from './codes';

export interface FhirSource {
  /** The service's name (observer, source and server agents). */
  name: string;
  /** e.g. the deployment or instance; optional. */
  site?: string;
  /** This service's network address (a DNS name) for the source/server agents; default: the host name. */
  address?: string;
}

const DEFAULT_SOURCE: FhirSource = { name: 'shiftnote' };

/**
 * The `llm.response` row answering an `llm.request` row. The export folds it into the request's disclosure event,
 * so an outbound request is one disclosure, whatever else was recorded about it.
 */
export interface AttemptResult {
  id: string;
  seq: string;
  recordedAt: string;
  outcome: string;
  details: Json;
}

/** A row as the FHIR export reads it: `llm.request` rows carry their result (null when none was recorded). */
export type FhirExportRow = AuditRecord & { result?: AttemptResult | null };

type JsonObject = { [key: string]: Json };

function asObject(value: Json | undefined): JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

const str = (value: Json | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function text(value: Json | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? v : canonicalJson(v))).join(', ')
      : canonicalJson(value);
}

/** `detail` entries for the given keys that are present, each as a string (R4 allows string or base64). */
function details(obj: JsonObject, keys: string[]): AuditEventEntity['detail'] {
  const out = keys.flatMap((key) => {
    const value = text(obj[key]);
    return value === undefined ? [] : [{ type: key, valueString: value }];
  });
  return out.length ? out : undefined;
}

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A host (optionally with a port) as an agent's network: IP literals as type 2, names as type 1; the port dropped. */
export function hostNetwork(host: string): AuditEventAgent['network'] {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return { address: bracketed[1], type: NETWORK_TYPE.ipAddress };
  if (host.includes(':') && !/^[^:]+:\d+$/.test(host)) return { address: host, type: NETWORK_TYPE.ipAddress }; // bare IPv6
  const name = host.replace(/:\d+$/, '');
  return { address: name, type: IPV4.test(name) ? NETWORK_TYPE.ipAddress : NETWORK_TYPE.machineName };
}

/** The client's address as recorded (Node's socket address; IPv4-mapped IPv6 shown as IPv4). */
function clientNetwork(address: string): AuditEventAgent['network'] {
  const v4 = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(address);
  return { address: v4 ? v4[1] : address, type: NETWORK_TYPE.ipAddress };
}

// The same object for the observer and the agents that are this service: BALP's val-audit-source compares them.
function serviceRef(source: FhirSource): Reference<Device> {
  return { type: 'Device', identifier: { system: SYSTEMS.service, value: source.name }, display: source.name };
}

function serviceAgent(source: FhirSource): AuditEventAgent {
  return {
    type: { coding: [DCM.sourceRole] },
    who: serviceRef(source),
    requestor: false,
    network: { address: source.address ?? os.hostname(), type: NETWORK_TYPE.machineName },
  };
}

function purposes(record: AuditRecord): CodeableConcept[] | undefined {
  const coding = PURPOSE_OF_USE[record.purposeOfUse as keyof typeof PURPOSE_OF_USE];
  return coding ? [{ coding: [coding] }] : undefined;
}

/** A person or a calling system, by token subject. */
type Who = NonNullable<AuditEventAgent['who']>;
const actorRef = (record: AuditRecord): Who => ({ identifier: { system: SYSTEMS.actor, value: record.actorId } });
const isHuman = (record: AuditRecord) => (record.actorRoles ?? []).some((r) => r !== 'service');
const roles = (record: AuditRecord) => (record.actorRoles?.length ? record.actorRoles.map((r) => ({ text: r })) : undefined);

/** The person who saw the data (BALP's user agent): absent when the token only carries `service`. */
function userAgent(record: AuditRecord): AuditEventAgent[] {
  if (!isHuman(record)) return [];
  return [
    {
      type: { coding: [INFORMATION_RECIPIENT] },
      role: roles(record),
      who: actorRef(record),
      requestor: true,
      purposeOfUse: purposes(record),
    },
  ];
}

/**
 * The HTTP client (BALP's client agent), at the address its TCP connection came from. A service token is the client
 * itself and the requestor; for a person, the user agent is.
 */
function clientAgent(record: AuditRecord, address: string | undefined): AuditEventAgent {
  const human = isHuman(record);
  return {
    type: { coding: [DCM.destinationRole] },
    who: human ? { display: address ?? 'unknown client' } : actorRef(record),
    requestor: !human,
    network: address ? clientNetwork(address) : undefined,
    ...(human ? {} : { role: roles(record), purposeOfUse: purposes(record) }),
  };
}

/** Who caused a disclosure: a person, or a calling system when the token only carries `service`. */
function requestorAgent(record: AuditRecord): AuditEventAgent {
  return {
    type: { coding: [isHuman(record) ? HUMAN_USER : DCM.application] },
    role: roles(record),
    who: actorRef(record),
    requestor: true,
    purposeOfUse: purposes(record),
  };
}

/** The patient, by the Bundle-local urn:uuid of its Patient entry and by shiftnote's patient id. */
export function patientReference(patientId: string): Reference<Patient> {
  return { reference: `urn:uuid:${patientId}`, type: 'Patient', identifier: { system: SYSTEMS.patient, value: patientId } };
}

/** The Patient entry a Bundle carries for each patient its events name: the id only, never an identifier of the person. */
export function patientStub(patientId: string): Patient {
  return { resourceType: 'Patient', id: patientId, identifier: [{ system: SYSTEMS.patient, value: patientId }] };
}

function patientEntity(record: AuditRecord): AuditEventEntity[] {
  if (!record.patientId) return [];
  return [{ what: patientReference(record.patientId), type: ENTITY_TYPE.person, role: OBJECT_ROLE.patient }];
}

function requestIdEntity(record: AuditRecord): AuditEventEntity {
  return { what: { identifier: { system: SYSTEMS.requestId, value: record.requestId } }, type: REQUEST_ID_ENTITY };
}

/** 164.528 "brief description": categories and window, never content. */
export function disclosureDescription(d: JsonObject): string {
  const categories = Array.isArray(d.dataCategories) ? d.dataCategories.filter((c): c is string => typeof c === 'string') : [];
  const days = typeof d.windowDays === 'number' ? `${d.windowDays} days` : 'unspecified window';
  // What redaction does, not a promise it cannot keep: patterns catch identifiers' shapes, not every identifier
  // (docs/deidentification.md lists the Safe Harbor categories covered and those that are not).
  return [...categories, days, 'identifiers redacted by pattern before sending (not certified de-identification)'].join(', ');
}

type Specific = Pick<AuditEvent, 'type' | 'subtype' | 'action' | 'agent' | 'entity' | 'outcome' | 'outcomeDesc'> & { profile?: string };

/**
 * An outbound LLM request: BALP Privacy Disclosure at Source. Its outcome is the attempt's, from the folded
 * `llm.response` row; without one (the process stopped mid-attempt) the request row's own.
 */
function disclosureEvent(record: FhirExportRow, source: FhirSource): Specific {
  const target = asObject(record.target);
  const d = asObject(record.details);
  const host = str(target.host);
  const provider = str(target.provider) ?? 'unknown provider';
  const recipient: AuditEventAgent = {
    type: { coding: [DCM.destinationRole] },
    who: {
      type: 'Device',
      identifier: { system: SYSTEMS.llmProvider, value: provider },
      display: host ? `${provider} (${host})` : provider,
    },
    requestor: false,
    network: host ? hostNetwork(host) : undefined,
  };
  const result = record.result ?? null;
  const r = asObject(result?.details);
  const outcome = result?.outcome ?? record.outcome;
  const failed = outcome !== 'success';
  const data: AuditEventEntity = {
    type: ENTITY_TYPE.systemObject,
    role: OBJECT_ROLE.report,
    description: disclosureDescription(d),
    detail: details(
      {
        ...d,
        model: target.model ?? null,
        baa: target.baa ?? null,
        responseEventId: result?.id ?? null,
        status: r.status ?? null,
        result: r.result ?? null,
        latencyMs: r.latencyMs ?? null,
        inputTokens: r.inputTokens ?? null,
        outputTokens: r.outputTokens ?? null,
      },
      [
        'requestSha256',
        'model',
        'baa',
        'windowDays',
        'dataCategories',
        'promptVersion',
        'requestBytes',
        'attempt',
        'providerAttempt',
        'hedge',
        'purpose',
        'responseEventId',
        'status',
        'result',
        'latencyMs',
        'inputTokens',
        'outputTokens',
      ],
    ),
  };
  const outcomeDesc = !result
    ? 'no llm.response row recorded for this attempt'
    : failed
      ? [text(r.result), r.status !== null && r.status !== undefined ? `HTTP ${text(r.status)}` : undefined].filter(Boolean).join(', ') ||
        undefined
      : undefined;
  return {
    profile: host && record.patientId ? BALP_PROFILES.disclosureSource : undefined,
    type: DCM.export,
    subtype: [LIFECYCLE.disclose],
    action: 'R',
    agent: [serviceAgent(source), recipient, requestorAgent(record)],
    entity: [...patientEntity(record), data],
    outcome: OUTCOME_CODE[outcome as keyof typeof OUTCOME_CODE],
    outcomeDesc,
  };
}

/** A read of one patient's data: BALP PatientRead (type rest, subtype read) with client, server and user agents. */
function patientReadEvent(record: AuditRecord, source: FhirSource): Specific {
  const d = asObject(record.details);
  const clientAddress = str(d.clientAddress);
  const listing = record.action === 'patient.list';
  const data: AuditEventEntity = listing
    ? {
        what: { identifier: { system: SYSTEMS.ward, value: str(d.wardId) ?? 'unknown' }, display: "the ward's patient list" },
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.domainResource,
        description: 'patient identifiers shown in a ward listing',
        detail: details(d, ['wardId', 'identifiersShown']),
      }
    : {
        what: { identifier: { system: SYSTEMS.summary, value: str(d.fingerprint) ?? record.id }, display: 'shift summary' },
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.report,
        detail: details(d, [
          'windowDays',
          'source',
          'provider',
          'model',
          'grounded',
          'promptVersion',
          'wardId',
          'notModified',
          'identifiersShown',
        ]),
      };
  return {
    // BALP requires the client's network address; rows recorded before it was kept claim no profile.
    profile: clientAddress && record.patientId && record.outcome === 'success' ? BALP_PROFILES.patientRead : undefined,
    type: REST_OPERATION,
    subtype: [REST_READ, LIFECYCLE.access],
    action: 'R',
    agent: [clientAgent(record, clientAddress), serviceAgent(source), ...userAgent(record)],
    entity: [...patientEntity(record), data],
  };
}

/** Compliance use of the audit log itself (DICOM Audit Log Used; a failed verification is a Security Alert). */
function auditUseEvent(record: AuditRecord, source: FhirSource): Specific {
  const d = asObject(record.details);
  const agent = [clientAgent(record, str(d.clientAddress)), serviceAgent(source), ...userAgent(record)];
  if (record.action === 'audit.verify') {
    const failed = record.outcome !== 'success';
    const broken = str(d.firstBrokenId);
    return {
      type: failed ? DCM.securityAlert : DCM.auditLogUsed,
      action: 'E',
      agent,
      entity: [
        {
          // A logical reference: the broken row may lie outside this export.
          what: broken ? { type: 'AuditEvent', identifier: { system: SYSTEMS.auditEvent, value: broken } } : undefined,
          type: ENTITY_TYPE.systemObject,
          role: OBJECT_ROLE.securityResource,
          description: failed
            ? `audit chain broken at seq ${text(d.firstBrokenSeq) ?? '?'} (${text(d.reason) ?? 'unknown'})`
            : 'audit chain verified',
          detail: details(d, ['checked', 'firstBrokenSeq', 'reason', 'headSeq']),
        },
      ],
      outcomeDesc: failed ? 'audit hash chain verification failed' : undefined,
    };
  }
  return {
    type: DCM.auditLogUsed,
    action: record.action === 'audit.export' ? 'E' : 'R',
    agent,
    entity: [
      ...patientEntity(record),
      {
        type: ENTITY_TYPE.systemObject,
        role: OBJECT_ROLE.query,
        query: base64(canonicalJson(d.filters ?? {})),
        detail: details(d, ['filters', 'lookup', 'format', 'eventId', 'returned', 'view']),
      },
    ],
    outcomeDesc: record.outcome !== 'success' && d.lookup ? 'patient lookup found no patient' : undefined,
  };
}

/** True for rows the FHIR export folds into another event instead of exporting on their own. */
export const foldedIntoRequest = (record: AuditRecord) => record.action === 'llm.response';

/**
 * One audit row as a FHIR R4 AuditEvent. `llm.response` rows are not events of their own: pass their result with
 * the `llm.request` row they answer (FhirExportRow.result).
 */
export function toFhirAuditEvent(record: FhirExportRow, source: FhirSource = DEFAULT_SOURCE): AuditEvent {
  if (foldedIntoRequest(record)) throw new Error('llm.response rows are folded into their llm.request disclosure event');
  const specific =
    record.action === 'llm.request'
      ? disclosureEvent(record, source)
      : record.action === 'summary.read' || record.action === 'patient.list'
        ? patientReadEvent(record, source)
        : auditUseEvent(record, source);
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    id: record.id,
    meta: specific.profile ? { profile: [specific.profile] } : undefined,
    type: specific.type,
    subtype: specific.subtype,
    action: specific.action,
    recorded: record.recordedAt,
    outcome: specific.outcome ?? OUTCOME_CODE[record.outcome as keyof typeof OUTCOME_CODE],
    outcomeDesc: specific.outcomeDesc,
    purposeOfEvent: purposes(record),
    agent: specific.agent,
    source: { site: source.site, observer: serviceRef(source), type: [APPLICATION_SERVER] },
    entity: [...(specific.entity ?? []), requestIdEntity(record)],
  };
  // Drop undefined members so the JSON carries no empty keys.
  return JSON.parse(JSON.stringify(event)) as AuditEvent;
}
