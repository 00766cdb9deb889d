// The audit trail: append-only, hash-chained record of every read of patient data and every disclosure.
export * from './chain';
export * from './types';
export * from './writer';
export * from './llm-hooks';
