// The audit trail: append-only, hash-chained record of every read of patient data and every disclosure.
export * from './chain';
export * from './types';
export * from './writer';
export * from './pool';
export * from './llm-hooks';
export * from './reader';
export * from './verify';
export * from './codes';
export * from './fhir';
export * from './export';
export * from './disclosures';
export * from './schemas';
export * from './patient-lookup';
