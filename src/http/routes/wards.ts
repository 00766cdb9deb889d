// GET /v1/wards and /v1/wards/:wardId/patients: what a clinician may open.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { canSeeWard, requireRole } from '../auth';
import { forbidden, notFound, parse } from '../errors';

const wardParams = z.object({ wardId: z.uuid({ message: 'must be a UUID' }) });

export function wardRoutes(db: Db): Router {
  const router = Router();
  router.get('/wards', requireRole('clinician', 'service'), async (req, res) => {
    const principal = req.principal!;
    const wards = await db.ward.findMany({
      where: principal.wardIds === null ? {} : { id: { in: principal.wardIds } },
      orderBy: { code: 'asc' },
      select: { id: true, code: true, name: true, _count: { select: { patients: true } } },
    });
    res.json({ wards: wards.map((w) => ({ id: w.id, code: w.code, name: w.name, patientCount: w._count.patients })) });
  });
  router.get('/wards/:wardId/patients', requireRole('clinician', 'service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    if (!canSeeWard(req.principal!, wardId)) throw forbidden('not one of your wards');
    const ward = await db.ward.findUnique({
      where: { id: wardId },
      select: { id: true, code: true, name: true, patients: { orderBy: { bed: 'asc' }, select: { id: true, bed: true } } },
    });
    if (!ward) throw notFound('ward');
    // Bed labels are for the ward's own staff screen; names stay in the EHR.
    res.json({ ward: { id: ward.id, code: ward.code, name: ward.name }, patients: ward.patients });
  });
  return router;
}
