// Export encodings of audit rows (NDJSON, RFC 4180 CSV, FHIR R4 Bundle), produced piece by piece for streaming.
import { canonicalJson, type AuditRecord } from './chain';
import { foldedIntoRequest, patientStub, toFhirAuditEvent, type FhirExportRow, type FhirSource } from './fhir';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One export: a prefix, a chunk per batch of rows, a suffix. Nothing but the current batch is held. */
export interface ExportEncoder {
  contentType: string;
  extension: string;
  begin(): string;
  /** FHIR reads FhirExportRow batches (scanFoldedAuditEvents); the others plain rows. */
  rows(batch: FhirExportRow[]): string;
  end(): string;
}

/** Column order of the CSV export (also its header row). */
export const CSV_COLUMNS = [
  'id',
  'seq',
  'recordedAt',
  'action',
  'outcome',
  'actorId',
  'actorRoles',
  'patientId',
  'purposeOfUse',
  'requestId',
  'target',
  'details',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditRecord)[];

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

// Structured columns as canonical JSON: a reader can recompute every row's hash from the CSV alone.
function csvValue(record: AuditRecord, column: (typeof CSV_COLUMNS)[number]): string {
  const value = record[column];
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : canonicalJson(value);
}

const ndjson: ExportEncoder = {
  contentType: 'application/x-ndjson; charset=utf-8',
  extension: 'ndjson',
  begin: () => '',
  rows: (batch) => batch.map((r) => `${JSON.stringify(r)}\n`).join(''),
  end: () => '',
};

const csv: ExportEncoder = {
  contentType: 'text/csv; charset=utf-8; header=present',
  extension: 'csv',
  begin: () => csvLine([...CSV_COLUMNS]),
  rows: (batch) => batch.map((r) => csvLine(CSV_COLUMNS.map((c) => csvValue(r, c)))).join(''),
  end: () => '',
};

/**
 * A Bundle (collection) of AuditEvents, each under `urn:uuid:<id>`, plus one Patient entry (id only) before the first
 * event naming each patient, so every reference in the Bundle resolves inside it. `llm.response` rows are folded into
 * their request's disclosure event. Memory: the set of patient ids seen so far.
 */
function fhirBundle(source: FhirSource | undefined, bundleId: string, timestamp: string): ExportEncoder {
  let first = true;
  const patients = new Set<string>();
  const entry = (fullUrl: string, resource: object) => {
    const chunk = `${first ? '' : ','}${JSON.stringify({ fullUrl, resource })}`;
    first = false;
    return chunk;
  };
  return {
    contentType: 'application/fhir+json; fhirVersion=4.0; charset=utf-8',
    extension: 'json',
    // The Bundle is opened here and closed in end(): entries go out as they are read.
    begin: () =>
      `{"resourceType":"Bundle","id":${JSON.stringify(bundleId)},"type":"collection","timestamp":${JSON.stringify(timestamp)},"entry":[`,
    rows: (batch) =>
      batch
        .filter((r) => !foldedIntoRequest(r))
        .map((r) => {
          let out = '';
          if (r.patientId && !patients.has(r.patientId)) {
            patients.add(r.patientId);
            out += entry(`urn:uuid:${r.patientId}`, patientStub(r.patientId));
          }
          return out + entry(`urn:uuid:${r.id}`, toFhirAuditEvent(r, source));
        })
        .join(''),
    end: () => ']}',
  };
}

export function exportEncoder(format: ExportFormat, opts: { source?: FhirSource; bundleId: string; timestamp: string }): ExportEncoder {
  if (format === 'csv') return csv;
  if (format === 'fhir') return fhirBundle(opts.source, opts.bundleId, opts.timestamp);
  return ndjson;
}
