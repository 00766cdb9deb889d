// GET /v1/wards and /v1/wards/:wardId/patients: what a clinician may open.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { canSeeWard, requireRole } from '../auth';
import { forbidden, notFound, parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';

export const wardParams = z.object({ wardId: z.uuid({ message: 'must be a UUID' }).meta({ description: "The ward's UUID." }) });

const ward = z.object({ id: z.uuid(), code: z.string(), name: z.string() });

export const wardListSchema = z.object({
  wards: z.array(ward.extend({ patientCount: z.number().int().min(0) })),
});

export const wardPatientsSchema = z.object({
  ward,
  // Bed labels are for the ward's own staff screen; names stay in the EHR.
  patients: z.array(z.object({ id: z.uuid(), bed: z.string() })),
});

const listWards = documentRoute({
  method: 'get',
  path: '/v1/wards',
  summary: 'The wards this token may see',
  description: 'All wards, or only the token\'s `ward_ids`.',
  tags: ['wards'],
  roles: ['clinician', 'service'],
  responses: { 200: { description: 'Wards with their patient counts.', schema: wardListSchema } },
});

const wardPatients = documentRoute({
  method: 'get',
  path: '/v1/wards/{wardId}/patients',
  summary: "A ward's patients (id and bed)",
  tags: ['wards'],
  roles: ['clinician', 'service'],
  params: wardParams,
  responses: {
    200: { description: 'The ward and its patients, by bed.', schema: wardPatientsSchema },
    404: errorResponse('No such ward.'),
  },
});

export function wardRoutes(db: Db): Router {
  const router = Router();
  router.get('/wards', listWards, requireRole('clinician', 'service'), async (req, res) => {
    const principal = req.principal!;
    const wards = await db.ward.findMany({
      where: principal.wardIds === null ? {} : { id: { in: principal.wardIds } },
      orderBy: { code: 'asc' },
      select: { id: true, code: true, name: true, _count: { select: { patients: true } } },
    });
    const body: z.infer<typeof wardListSchema> = {
      wards: wards.map((w) => ({ id: w.id, code: w.code, name: w.name, patientCount: w._count.patients })),
    };
    res.json(body);
  });
  router.get('/wards/:wardId/patients', wardPatients, requireRole('clinician', 'service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    if (!canSeeWard(req.principal!, wardId)) throw forbidden('not one of your wards');
    const found = await db.ward.findUnique({
      where: { id: wardId },
      select: { id: true, code: true, name: true, patients: { orderBy: { bed: 'asc' }, select: { id: true, bed: true } } },
    });
    if (!found) throw notFound('ward');
    const body: z.infer<typeof wardPatientsSchema> = { ward: { id: found.id, code: found.code, name: found.name }, patients: found.patients };
    res.json(body);
  });
  return router;
}
