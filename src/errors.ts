// Domain errors: what went wrong in a use case, each with a stable code. http/errors.ts alone maps a code to a status.

/** The codes a use case can fail with; the same strings appear as `error.code` in the HTTP envelope. */
export const DOMAIN_ERROR_CODES = ['bad_request', 'forbidden', 'not_found', 'conflict', 'unavailable'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

/** The request names something the use case cannot do (a combination of filters it does not offer, say). */
export class InvalidRequestError extends DomainError {
  readonly code = 'bad_request';
  override readonly name = 'InvalidRequestError';
}

/** The principal may not see this (another ward's patient, say). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  override readonly name = 'ForbiddenError';
  constructor(message = 'not allowed for this token') {
    super(message);
  }
}

/** No such thing: `what` names it ("patient", "ward", "audit event"). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  override readonly name = 'NotFoundError';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The request is ambiguous against the data (an MRN matching two patients, say). */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
  override readonly name = 'ConflictError';
}

/** A dependency cannot serve right now; retrying shortly may succeed. */
export class UnavailableError extends DomainError {
  readonly code = 'unavailable';
  override readonly name = 'UnavailableError';
  constructor(message = 'a dependency is unavailable; retry shortly') {
    super(message);
  }
}
