// Domain errors become the envelope's code and an HTTP status in http/errors.ts alone.
import { AuditUnavailableError } from '../../src/audit/writer';
import { ConflictError, DOMAIN_ERROR_CODES, ForbiddenError, InvalidRequestError, NotFoundError, UnavailableError } from '../../src/errors';
import { forbidden, HttpError, notFound, toHttpError, unavailable } from '../../src/http/errors';

test.each([
  [new InvalidRequestError('format=fhir needs action=llm.request'), 400, 'bad_request', 'format=fhir needs action=llm.request', {}],
  [new ForbiddenError(), 403, 'forbidden', 'not allowed for this token', {}],
  [new ForbiddenError('not one of your wards'), 403, 'forbidden', 'not one of your wards', {}],
  [new NotFoundError('patient'), 404, 'not_found', 'patient not found', {}],
  [new ConflictError('that MRN matches more than one patient'), 409, 'conflict', 'that MRN matches more than one patient', {}],
  [new UnavailableError(), 503, 'unavailable', 'a dependency is unavailable; retry shortly', { 'Retry-After': '5' }],
])('%s → %i %s', (err, status, code, message, headers) => {
  const mapped = toHttpError(err);
  expect(mapped).toBeInstanceOf(HttpError);
  expect({ status: mapped.status, code: mapped.code, message: mapped.message, headers: mapped.headers }).toEqual({
    status,
    code,
    message,
    headers,
  });
});

test('every domain code has a status', () => {
  const byCode = {
    bad_request: new InvalidRequestError('x'),
    forbidden: new ForbiddenError(),
    not_found: new NotFoundError('x'),
    conflict: new ConflictError('x'),
    unavailable: new UnavailableError(),
  };
  for (const code of DOMAIN_ERROR_CODES) {
    expect(byCode[code].code).toBe(code);
    expect(toHttpError(byCode[code]).status).toBeGreaterThanOrEqual(400);
  }
});

test("the HTTP layer's helpers answer as the domain errors do", () => {
  expect(forbidden()).toMatchObject({ status: 403, code: 'forbidden', message: 'not allowed for this token' });
  expect(notFound('ward')).toMatchObject({ status: 404, code: 'not_found', message: 'ward not found' });
  expect(unavailable('keys are unavailable')).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '5' } });
});

test('anything else is a generic 500 or, for an audit outage, a 503', () => {
  expect(toHttpError(new Error('patient Jane Doe'))).toMatchObject({ status: 500, code: 'internal', message: 'internal error' });
  expect(toHttpError(new AuditUnavailableError('lock timeout'))).toMatchObject({ status: 503, code: 'unavailable' });
});
