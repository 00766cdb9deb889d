// GET /v1/wards and /v1/wards/:wardId/patients: what a clinician may open, each patient with two identifiers at least.
import { Router } from 'express';
import { z } from 'zod';
import type { WardService } from '../../services/wards';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';
import { wardParams } from '../params';

const ward = z.object({ id: z.uuid(), code: z.string(), name: z.string() });

export const wardListSchema = z.object({
  wards: z.array(ward.extend({ patientCount: z.number().int().min(0) })),
});

/**
 * Name, date of birth and MRN: a clinician checks a patient by two identifiers at least (Joint Commission NPSG.01.01.01,
 * NHS patient identification), never by bed alone. Only for the clinician role; null for other tokens.
 */
export const patientIdentifiersSchema = z
  .object({
    givenName: z.string(),
    familyName: z.string(),
    birthDate: z.iso.date().meta({ description: 'YYYY-MM-DD.' }),
    mrn: z.string().meta({ description: 'Medical record number.' }),
  })
  .nullable()
  .meta({
    id: 'PatientIdentifiers',
    description:
      'For tokens with the clinician role (who may see the ward); null for others. Each view that shows them is audited (`identifiersShown`). Never sent to a model, logged, or put in a metric or span.',
  });

export const wardPatientsSchema = z.object({
  ward,
  patients: z.array(z.object({ id: z.uuid(), bed: z.string(), identifiers: patientIdentifiersSchema })),
});

const listWards = documentRoute({
  method: 'get',
  path: '/v1/wards',
  summary: 'The wards this token may see',
  description: "All wards, or only the token's `ward_ids`.",
  tags: ['wards'],
  roles: ['clinician', 'service'],
  refuseHead: true,
  responses: { 200: { description: 'Wards with their patient counts.', schema: wardListSchema } },
});

const wardPatients = documentRoute({
  method: 'get',
  path: '/v1/wards/{wardId}/patients',
  summary: "A ward's patients (id, bed and, for clinicians, identifiers)",
  description:
    'By bed. For the clinician role each patient carries name, date of birth and MRN, and the listing is audited as one `patient.list` row per patient (`identifiersShown`), committed before the response.',
  tags: ['wards'],
  roles: ['clinician', 'service'],
  params: wardParams,
  refuseHead: true,
  responses: {
    200: { description: 'The ward and its patients, by bed.', schema: wardPatientsSchema },
    404: errorResponse('No such ward.'),
  },
});

export function wardRoutes(wards: WardService): Router {
  const router = Router();
  router.get('/wards', listWards, requireRole('clinician', 'service'), async (req, res) => {
    const body: z.infer<typeof wardListSchema> = await wards.list(req.principal!);
    res.json(body);
  });
  router.get('/wards/:wardId/patients', wardPatients, requireRole('clinician', 'service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const body: z.infer<typeof wardPatientsSchema> = await wards.patients(req.principal!, wardId, {
      requestId: req.id,
      clientAddress: req.socket.remoteAddress,
    });
    res.json(body);
  });
  return router;
}
