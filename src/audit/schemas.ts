// Wire shapes of the compliance API (zod): documented in OpenAPI and checked against the TypeScript types below.
import { z } from 'zod';
import type { AuditRecord } from './chain';
import type { Disclosure } from './disclosures';
import { AUDIT_ACTIONS } from './types';
import type { ChainVerification } from './verify';

const seq = z.string().regex(/^[0-9]+$/).meta({ description: 'Position in the chain (a 64-bit integer, as a string).' });
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
    details: z.record(z.string(), json).meta({ description: 'Never content: hashes, sizes, counts, status, latency, attempt numbers, filters.' }),
    prevHash: sha256,
    hash: sha256.meta({ description: 'SHA-256(prevHash ‖ canonical JSON of every other field).' }),
  })
  .meta({ id: 'AuditRecord' });

export const auditPageSchema = z.object({
  events: z.array(auditRecordSchema),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next (older) page; null on the last page.' }),
});

export const chainVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().min(0).meta({ description: 'Rows examined, up to and including the first broken one.' }),
    firstBrokenId: z.uuid().nullable(),
    firstBrokenSeq: seq.nullable(),
    reason: z.enum(['seq_gap', 'prev_hash_mismatch', 'hash_mismatch', 'missing_rows', 'head_mismatch']).nullable(),
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
    outcome: z.string().nullable().meta({ description: "From the matching `llm.response` row; null if none was recorded." }),
    responseEventId: z.uuid().nullable(),
    httpStatus: json,
  })
  .meta({ id: 'Disclosure' });

export const disclosureReportSchema = z.object({
  patientId: z.uuid(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  disclosures: z.array(disclosureSchema),
});

// Compile-time guards: the documented shapes and the types the code returns cannot drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Keys<T> = keyof T;
const recordKeys: Same<Keys<z.infer<typeof auditRecordSchema>>, Keys<AuditRecord>> = true;
const disclosureKeys: Same<Keys<z.infer<typeof disclosureSchema>>, Keys<Disclosure>> = true;
const verificationKeys: Same<Exclude<Keys<z.infer<typeof chainVerificationSchema>>, 'auditEventId'>, Keys<ChainVerification>> = true;
void [recordKeys, disclosureKeys, verificationKeys];
