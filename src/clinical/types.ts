// The clinical domain's types: what a patient's week is, and the facts and summary made from it.
// Plain data only: this folder imports no framework, ORM or HTTP client.

export type Consciousness = 'A' | 'C' | 'V' | 'P' | 'U';

/** One set of vital signs as charted. A null is "not recorded", never "normal". */
export interface VitalSigns {
  id: string;
  takenAt: Date;
  respiratoryRate: number | null;
  spo2: number | null;
  spo2Scale: 1 | 2;
  onOxygen: boolean | null;
  systolicBp: number | null;
  diastolicBp: number | null;
  heartRate: number | null;
  consciousness: Consciousness | null;
  temperatureC: number | null;
}

export interface MedicationOrderRecord {
  orderId: string;
  drug: string;
  /** e.g. anticoagulant, insulin, antiepileptic, analgesic, antibiotic */
  drugClass: string;
}

export type AdministrationStatus = 'given' | 'missed' | 'refused' | 'held';

export interface AdministrationRecord {
  id: string;
  orderId: string;
  dueAt: Date;
  status: AdministrationStatus;
}

export interface CareNoteRecord {
  id: string;
  authoredAt: Date;
  authorRole: string;
  category: string;
  text: string;
}

/** Direct identifiers, present only so they can be stripped from note text; never sent out. */
export interface PatientIdentifiers {
  givenName: string;
  familyName: string;
  mrn: string;
  /** YYYY-MM-DD */
  birthDate: string;
  bed: string;
}

/** Everything recorded about one patient in the summary window. Lists are oldest first. */
export interface PatientWeek {
  patientId: string;
  window: { from: Date; to: Date };
  /** Clinician-recorded hypercapnic respiratory failure: NEWS2 SpO2 scale 2 applies. */
  hypercapnicRespiratoryFailure: boolean;
  observations: VitalSigns[];
  medications: MedicationOrderRecord[];
  administrations: AdministrationRecord[];
  notes: CareNoteRecord[];
  identifiers: PatientIdentifiers;
}

/** Provider-neutral chat request: the port the domain needs from an LLM client. */
export interface ChatRequest {
  system: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  maxTokens: number;
  temperature?: number;
  /** Ask for a JSON object answer where the provider supports it. */
  json?: boolean;
}

export interface ChatResponse {
  text: string;
  provider: string;
  model: string;
  usage?: { inputTokens: number; outputTokens: number };
  stopReason?: string;
}

/** Opaque context carried to the LLM client's audit hooks (actor, request id, patient id...). */
export type AttemptMeta = Record<string, unknown>;

export interface ChatCompleter {
  complete(
    request: ChatRequest,
    options: { signal?: AbortSignal; meta: AttemptMeta; excludeProviders?: string[]; onlyProvider?: string; deadlineAt?: number },
  ): Promise<ChatResponse>;
}
