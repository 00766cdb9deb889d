// Builders shared by the clinical tests: a fixed clock, a normal observation set, a week, a scripted fake completer.
import type { ChatCompleter, ChatRequest, ChatResponse, PatientIdentifiers, PatientWeek, VitalSigns } from '../../src/clinical';

export const now = new Date('2025-03-10T12:00:00.000Z');
export const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

/** A set that scores 0 on every NEWS2 parameter (RR 16, SpO2 97 on air, SBP 120, pulse 70, alert, 37.0 °C). */
export function vitals(overrides: Partial<VitalSigns> = {}): VitalSigns {
  return {
    id: 'obs-1',
    takenAt: hoursAgo(1),
    respiratoryRate: 16,
    spo2: 97,
    spo2Scale: 1,
    onOxygen: false,
    systolicBp: 120,
    diastolicBp: 75,
    heartRate: 70,
    consciousness: 'A',
    temperatureC: 37.0,
    ...overrides,
  };
}

export const identifiers: PatientIdentifiers = {
  givenName: 'Marjorie',
  familyName: 'Featherstonehaugh',
  mrn: 'RX448812',
  birthDate: '1950-03-04',
  bed: 'B12',
};

export function week(overrides: Partial<PatientWeek> = {}): PatientWeek {
  return {
    patientId: '7d0f4c8e-0000-4000-8000-000000000001',
    window: { from: hoursAgo(168), to: now },
    hypercapnicRespiratoryFailure: false,
    observations: [],
    medications: [],
    administrations: [],
    notes: [],
    identifiers,
    ...overrides,
  };
}

export const answer = (sentences: { text: string; facts: string[] }[]) => JSON.stringify({ sentences });

type Script = string | Error | ((request: ChatRequest) => string) | { text: string; delayMs: number };

export interface RecordedCall {
  request: ChatRequest;
  excludeProviders: string[];
  onlyProvider?: string;
  deadlineAt?: number;
  signal?: AbortSignal;
  meta: unknown;
}

/**
 * Answers each call with the next scripted reply, as `onlyProvider` when the call names one, else as the first
 * provider in `providers` not excluded by the call, as an LLM client failing over would. Records every call.
 */
export function fakeCompleter(script: Script[], providers = ['alpha', 'beta', 'gamma']) {
  const calls: RecordedCall[] = [];
  const completer: ChatCompleter = {
    async complete(request, options): Promise<ChatResponse> {
      const { excludeProviders = [], onlyProvider, deadlineAt, signal, meta } = options;
      calls.push({ request, excludeProviders, onlyProvider, deadlineAt, signal, meta });
      const step = script[calls.length - 1];
      if (step === undefined) throw new Error('unexpected call');
      if (step instanceof Error) throw step;
      const provider = onlyProvider ?? providers.find((name) => !excludeProviders.includes(name)) ?? 'none';
      let text: string;
      if (typeof step === 'object') {
        await new Promise((resolve) => setTimeout(resolve, step.delayMs));
        text = step.text;
      } else text = typeof step === 'function' ? step(request) : step;
      return { text, provider, model: `${provider}-model` };
    },
  };
  return { completer, calls };
}

/**
 * A deteriorating week. NEWS2 by the chart: 0 (72 h ago), 3 (48 h: RR 21 → 2, pulse 95 → 1),
 * 4 (24 h: RR 21 → 2, SBP 100 → 2), 7 (2.5 h: RR 25 → 3, SpO2 94 → 1, oxygen → 2, pulse 91 → 1; 37.84 °C → 0).
 * Apixaban given, given, missed, missed; paracetamol given ×4: 6 of 8 = 75 %, 0 refused.
 */
export function deterioratingWeek(overrides: Partial<PatientWeek> = {}): PatientWeek {
  const dose = (orderId: string, i: number, status: 'given' | 'missed') => ({
    id: `${orderId}-${i}`,
    orderId,
    dueAt: hoursAgo(40 - i * 8),
    status,
  });
  return week({
    observations: [
      vitals({ id: 'o1', takenAt: hoursAgo(72) }),
      vitals({ id: 'o2', takenAt: hoursAgo(48), respiratoryRate: 21, heartRate: 95 }),
      vitals({ id: 'o3', takenAt: hoursAgo(24), respiratoryRate: 21, systolicBp: 100 }),
      vitals({ id: 'o4', takenAt: hoursAgo(2.5), respiratoryRate: 25, spo2: 94, onOxygen: true, heartRate: 91, temperatureC: 37.84 }),
    ],
    medications: [
      { orderId: 'apx', drug: 'Apixaban', drugClass: 'anticoagulant' },
      { orderId: 'par', drug: 'Paracetamol', drugClass: 'analgesic' },
    ],
    administrations: [
      ...(['given', 'given', 'missed', 'missed'] as const).map((status, i) => dose('apx', i, status)),
      ...(['given', 'given', 'given', 'given'] as const).map((status, i) => dose('par', i, status)),
    ],
    notes: [{ id: 'n1', authoredAt: hoursAgo(30), authorRole: 'nurse', category: 'nursing', text: 'Found on the floor, no injury.' }],
    ...overrides,
  });
}
