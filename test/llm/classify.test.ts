// The retry and misconfiguration rules, table by table, as the official SDKs apply them (openai, @anthropic-ai/sdk).
import { serverRetryAfterMs } from '../../src/llm/backoff';
import { classifyStatus } from '../../src/llm/classify';

describe('status → outcome, and whether the same provider is asked again', () => {
  test.each([
    // status, x-should-retry, outcome, retryable
    [500, undefined, '5xx', true],
    [502, undefined, '5xx', true],
    [503, undefined, '5xx', true],
    [504, undefined, '5xx', true],
    [529, undefined, '5xx', true], // Anthropic's "overloaded"
    [429, undefined, '429', true],
    [408, undefined, 'transient', true],
    [409, undefined, 'transient', true],
    [400, undefined, 'misconfigured', false],
    [401, undefined, 'misconfigured', false],
    [403, undefined, 'misconfigured', false],
    [404, undefined, 'misconfigured', false],
    [413, undefined, 'client_error', false],
    [422, undefined, 'client_error', false],
    [424, undefined, 'client_error', false], // Bedrock ModelErrorException
    // x-should-retry wins either way
    [500, 'false', '5xx', false],
    [429, 'false', '429', false],
    [408, 'false', 'transient', false],
    [400, 'true', 'transient', true],
    [404, 'true', 'transient', true],
    [422, 'true', 'transient', true],
    [503, 'true', '5xx', true],
    [400, 'maybe', 'misconfigured', false],
  ] as const)('%i with x-should-retry %p → %s, retryable %p', (status, hint, outcome, retryable) => {
    const headers = hint === undefined ? {} : { 'x-should-retry': hint };
    expect(classifyStatus(status, headers)).toEqual({ outcome, retryable });
  });
});

describe('the server-requested wait', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  test.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '1.5' }, 1.5],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250], // ms first
    [{ 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000], // unparseable ms → seconds
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:28:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }, null], // in the past → own backoff
    [{ 'retry-after': '0' }, null],
    [{ 'retry-after-ms': '-5' }, null],
    [{ 'retry-after': '99999999' }, null], // beyond one timer
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('%p → %p ms', (headers, expected) => {
    expect(serverRetryAfterMs(headers, now)).toBe(expected);
  });
});
