// Ward use cases: the wards a principal may open, and a ward's patients (with identifiers for clinicians, audited).
import { canSeeWard, showsIdentifiers, type Principal } from '../access/policy';
import type { AuditWriter } from '../audit';
import type { Db } from '../db/client';
import { ForbiddenError, NotFoundError } from '../errors';
import { IDENTIFIERS_SHOWN, type ShownIdentifiers } from './ward-summaries';

export interface WardServiceDeps {
  db: Db;
  audit: AuditWriter;
}

export interface WardRef {
  id: string;
  code: string;
  name: string;
}

export interface WardList {
  wards: (WardRef & { patientCount: number })[];
}

export interface WardPatients {
  ward: WardRef;
  /** By bed; `identifiers` only for principals who treat (showsIdentifiers), else null. */
  patients: { id: string; bed: string; identifiers: ShownIdentifiers | null }[];
}

/** Who is asking, for the audit rows of a view that shows identifiers. */
export interface WardViewRequest {
  requestId: string;
  clientAddress?: string;
}

export interface WardService {
  list(principal: Principal): Promise<WardList>;
  patients(principal: Principal, wardId: string, req: WardViewRequest): Promise<WardPatients>;
}

export function wardService({ db, audit }: WardServiceDeps): WardService {
  return {
    async list(principal) {
      const wards = await db.ward.findMany({
        where: principal.wardIds === null ? {} : { id: { in: principal.wardIds } },
        orderBy: { code: 'asc' },
        select: { id: true, code: true, name: true, _count: { select: { patients: true } } },
      });
      return { wards: wards.map((w) => ({ id: w.id, code: w.code, name: w.name, patientCount: w._count.patients })) };
    },

    async patients(principal, wardId, req) {
      if (!canSeeWard(principal, wardId)) throw new ForbiddenError('not one of your wards');
      const identified = showsIdentifiers(principal);
      const found = await db.ward.findUnique({
        where: { id: wardId },
        select: {
          id: true,
          code: true,
          name: true,
          patients: {
            orderBy: { bed: 'asc' },
            select: { id: true, bed: true, ...(identified ? { givenName: true, familyName: true, birthDate: true, mrn: true } : {}) },
          },
        },
      });
      if (!found) throw new NotFoundError('ward');
      if (identified) {
        // One row per patient shown, so "who saw this patient's identifiers" is a per-patient query; one commit for all.
        await Promise.all(
          found.patients.map((p) =>
            audit.append({
              action: 'patient.list',
              outcome: 'success',
              actorId: principal.sub,
              actorRoles: principal.roles,
              patientId: p.id,
              purposeOfUse: 'TREAT',
              requestId: req.requestId,
              target: null,
              details: {
                wardId: found.id,
                identifiersShown: IDENTIFIERS_SHOWN,
                ...(req.clientAddress ? { clientAddress: req.clientAddress } : {}),
              },
            }),
          ),
        );
      }
      return {
        ward: { id: found.id, code: found.code, name: found.name },
        patients: found.patients.map((p) => ({
          id: p.id,
          bed: p.bed,
          identifiers: identified
            ? { givenName: p.givenName, familyName: p.familyName, birthDate: p.birthDate.toISOString().slice(0, 10), mrn: p.mrn }
            : null,
        })),
      };
    },
  };
}
