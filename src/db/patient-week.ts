// Loads what the clinical domain needs about one patient's window, one query per data kind.
import type { Consciousness, PatientWeek } from '../clinical/types';
import type { Db } from './client';

export interface LoadedWeek {
  wardId: string;
  week: PatientWeek;
}

export async function loadPatientWeek(db: Db, patientId: string, window: { from: Date; to: Date }): Promise<LoadedWeek | null> {
  const within = { gte: window.from, lte: window.to };
  const [patient, observations, administrations, notes] = await Promise.all([
    db.patient.findUnique({
      where: { id: patientId },
      include: { medicationOrders: { select: { id: true, drug: true, drugClass: true } } },
    }),
    db.vitalSignObservation.findMany({ where: { patientId, takenAt: within }, orderBy: { takenAt: 'asc' } }),
    db.medicationAdministration.findMany({
      where: { patientId, dueAt: within },
      orderBy: { dueAt: 'asc' },
      select: { id: true, orderId: true, dueAt: true, status: true },
    }),
    db.careNote.findMany({ where: { patientId, authoredAt: within }, orderBy: { authoredAt: 'asc' } }),
  ]);
  if (!patient) return null;
  const week: PatientWeek = {
    patientId: patient.id,
    window,
    hypercapnicRespiratoryFailure: patient.hypercapnicRespiratoryFailure,
    observations: observations.map((o) => ({
      id: o.id,
      takenAt: o.takenAt,
      respiratoryRate: o.respiratoryRate,
      spo2: o.spo2,
      spo2Scale: o.spo2Scale === 2 ? 2 : 1,
      onOxygen: o.onOxygen,
      systolicBp: o.systolicBp,
      diastolicBp: o.diastolicBp,
      heartRate: o.heartRate,
      consciousness: o.consciousness as Consciousness | null,
      temperatureC: o.temperatureC === null ? null : Number(o.temperatureC),
    })),
    medications: patient.medicationOrders.map((m) => ({ orderId: m.id, drug: m.drug, drugClass: m.drugClass })),
    administrations: administrations.map((a) => ({ id: a.id, orderId: a.orderId, dueAt: a.dueAt, status: a.status })),
    notes: notes.map((n) => ({ id: n.id, authoredAt: n.authoredAt, authorRole: n.authorRole, category: n.category, text: n.text })),
    identifiers: {
      givenName: patient.givenName,
      familyName: patient.familyName,
      mrn: patient.mrn,
      birthDate: patient.birthDate.toISOString().slice(0, 10),
      bed: patient.bed,
    },
  };
  return { wardId: patient.wardId, week };
}
