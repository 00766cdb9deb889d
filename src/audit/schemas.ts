// Wire shapes of the compliance API (zod): documented in OpenAPI and checked against the TypeScript types below.
import { z } from 'zod';
import type { AuditRecord } from './chain';
import type { Disclosure } from './disclosures';
import { AUDIT_ACTIONS } from './types';
import { CHAIN_BREAKS, type ChainVerification } from './verify';

const seq = z
  .string()
  .regex(/^[0-9]+$/)
  .meta({ description: 'Position in the chain (a 64-bit integer, as a string).' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const json = z.unknown();

export const auditRecordSchema = z
  .object({
    id: z.uuid(),
    seq,
    recordedAt: z.string().meta({ description: 'Database clock, UTC, microseconds: the exact string hashed.' }),
    action: z.enum(AUDIT_ACTIONS),
    outcome: z.enum(['success', 'minor_failure', 'serious_failure', 'major_failure']),
    actorId: z.string(),
    actorRoles: z.array(z.string()),
    patientId: z.uuid().nullable(),
    purposeOfUse: z.enum(['TREAT', 'HOPERAT']),
    requestId: z.string(),
    target: json.meta({ description: 'Recipient of a disclosure: provider, type, model, host, baa; otherwise null.' }),
    details: z
      .record(z.string(), json)
      .meta({ description: 'Never content: hashes, sizes, counts, status, latency, attempt numbers, filters.' }),
    prevHash: sha256,
    hash: sha256.meta({ description: 'SHA-256(prevHash ‖ canonical JSON of every other field).' }),
  })
  .meta({ id: 'AuditRecord' });

export const patientRefSchema = z
  .object({ id: z.uuid(), mrn: z.string().meta({ description: 'The MRN as stored.' }) })
  .meta({ id: 'PatientRef', description: 'The patient an `mrn` parameter was resolved to.' });

export const auditPageSchema = z.object({
  events: z.array(auditRecordSchema),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next (older) page; null on the last page.' }),
  patient: patientRefSchema.optional().meta({ description: 'Present when the request named the patient by `mrn`.' }),
});

export const chainVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Rows examined: every row up to the head (verification does not stop at a break).' }),
    firstBrokenId: z.uuid().nullable(),
    firstBrokenSeq: seq.nullable(),
    reason: z.enum(CHAIN_BREAKS).nullable().meta({ description: 'Why the first broken row does not hold.' }),
    breaks: z
      .object({
        count: z.number().int().min(0),
        firstSeq: seq.nullable(),
        lastSeq: seq.nullable(),
        byReason: z.record(z.enum(CHAIN_BREAKS), z.number().int().min(0)),
        rows: z
          .array(z.object({ seq, id: z.uuid().nullable(), reason: z.enum(CHAIN_BREAKS) }))
          .meta({ description: 'The first 100 breaks in chain order.' }),
      })
      .meta({ description: 'Every break found in one pass: count, first and last seq, by reason.' }),
    unansweredRequests: z.object({ count: z.number().int().min(0), firstSeq: seq.nullable() }).meta({
      description: '`llm.request` rows older than 10 minutes with no `llm.response`: a result row lost in a crash (outcome unknown).',
    }),
    head: z.object({ seq, hash: sha256 }).meta({ description: 'The chain head the rows were checked against (read first).' }),
    auditEventId: z.uuid().meta({ description: 'Id of the `audit.verify` row recording this check.' }),
  })
  .meta({ id: 'ChainVerification' });

export const disclosureSchema = z
  .object({
    auditEventId: z.uuid().meta({ description: 'The `llm.request` row; its id went out as X-Audit-Event-Id.' }),
    seq,
    date: z.string(),
    recipient: z.object({ provider: z.string().nullable(), host: z.string().nullable(), model: z.string().nullable(), baa: json }),
    description: z.string(),
    purpose: z.string(),
    requestedBy: z.string(),
    attempt: json,
    outcome: z.string().nullable().meta({ description: 'From the matching `llm.response` row; null if none was recorded.' }),
    responseEventId: z.uuid().nullable(),
    httpStatus: json,
  })
  .meta({ id: 'Disclosure' });

export const disclosureReportSchema = z.object({
  patientId: z.uuid(),
  mrn: z.string().nullable().meta({
    description:
      'When the request named the patient by MRN: that MRN as stored, to match the report to the request; null when named by id (no identifier is added to what was asked).',
  }),
  from: z.string().nullable(),
  to: z.string().nullable(),
  disclosures: z.array(disclosureSchema),
});

const fhirCoding = z.looseObject({ system: z.string(), code: z.string(), display: z.string().optional() });

/** The FHIR export's shape, as far as a client needs to route it: every element is FHIR R4 AuditEvent / Patient. */
export const fhirAuditBundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    id: z.uuid().meta({ description: 'The id of the `audit.export` row that recorded this export.' }),
    type: z.literal('collection'),
    timestamp: z.string(),
    entry: z.array(
      z.object({
        fullUrl: z
          .string()
          .regex(/^urn:uuid:[0-9a-f-]{36}$/)
          .meta({ description: '`urn:uuid:` + the resource id; every reference in the Bundle names one of these.' }),
        resource: z.discriminatedUnion('resourceType', [
          z
            .looseObject({
              resourceType: z.literal('AuditEvent'),
              id: z.uuid().meta({ description: "The audit row's id." }),
              meta: z
                .looseObject({ profile: z.array(z.string()).optional() })
                .optional()
                .meta({ description: 'The IHE BALP profile the event meets, if any.' }),
              type: fhirCoding,
              subtype: z.array(fhirCoding).optional(),
              action: z.enum(['C', 'R', 'U', 'D', 'E']),
              recorded: z.string(),
              outcome: z.enum(['0', '4', '8', '12']),
              agent: z.array(z.looseObject({ requestor: z.boolean() })),
              source: z.looseObject({ observer: z.looseObject({}) }),
              entity: z.array(z.looseObject({})).optional(),
            })
            .meta({ description: 'FHIR R4 AuditEvent (https://hl7.org/fhir/R4/auditevent.html).' }),
          z
            .object({
              resourceType: z.literal('Patient'),
              id: z.uuid(),
              identifier: z.array(z.object({ system: z.string(), value: z.string() })),
            })
            .meta({ description: "A patient the events name, by shiftnote's id only (no identifier of the person)." }),
        ]),
      }),
    ),
  })
  .meta({
    id: 'FhirAuditBundle',
    description: 'FHIR R4 Bundle of AuditEvents (IHE BALP where a profile applies) and the Patients they name.',
  });

// Compile-time guards: the documented shapes and the types the code returns cannot drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Keys<T> = keyof T;
const recordKeys: Same<Keys<z.infer<typeof auditRecordSchema>>, Keys<AuditRecord>> = true;
const disclosureKeys: Same<Keys<z.infer<typeof disclosureSchema>>, Keys<Disclosure>> = true;
const verificationKeys: Same<Exclude<Keys<z.infer<typeof chainVerificationSchema>>, 'auditEventId'>, Keys<ChainVerification>> = true;
void [recordKeys, disclosureKeys, verificationKeys];
