// LLM configuration: YAML shape, ${VAR} interpolation, disabled providers, clear errors, no key in logs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { LlmConfigError, loadLlmConfig, parseLlmConfig } from '../../src/llm';
import { API_KEY, captureLogger } from './helpers';

const contractExample = `
providers:
  - name: openai
    type: openai
    base_url: https://api.openai.com
    api_key: \${OPENAI_API_KEY}
    model: gpt-4o-mini
    weight: 100
  - name: anthropic
    type: anthropic
    base_url: https://api.anthropic.com
    api_key: \${ANTHROPIC_API_KEY}
    model: claude-3-5-haiku-latest
    weight: 0
routing:
  strategy: failover
  fallback_on: [5xx, timeout, 429, connection]
  attempt_timeout_ms: 4000
  deadline_ms: 8000
  retries_per_provider: 1
`;

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseLlmConfig(yaml, env);
  } catch (err) {
    expect(err).toBeInstanceOf(LlmConfigError);
    return [...(err as LlmConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

test('the contract example parses, with defaults for the optional fields', () => {
  const config = parseLlmConfig(contractExample, { OPENAI_API_KEY: API_KEY, ANTHROPIC_API_KEY: 'other' });
  expect(config.providers.map((p) => [p.name, p.type, p.weight, p.baa, p.max_connections])).toEqual([
    ['openai', 'openai', 100, false, 32],
    ['anthropic', 'anthropic', 0, false, 32],
  ]);
  expect(config.providers[0].api_key?.reveal()).toBe(API_KEY);
  expect(config.routing).toMatchObject({
    strategy: 'failover',
    deadline_ms: 8000,
    hedge: { enabled: false },
    breaker: { failure_threshold: 5, failure_rate: 0.5, window: 20, cooldown_ms: 30_000 },
    backoff: { base_ms: 100, max_ms: 2000 },
  });
});

test('a provider whose ${VAR} is unset is disabled and logged once by name, never by value', () => {
  const log = captureLogger();
  const config = parseLlmConfig(contractExample, { OPENAI_API_KEY: API_KEY }, log);
  expect(config.providers.map((p) => p.name)).toEqual(['openai']);
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatchObject({
    level: 'warn',
    obj: { provider: 'anthropic', variables: ['ANTHROPIC_API_KEY'] },
  });
  expect(log.text()).not.toContain(API_KEY);
});

test('an empty variable counts as unset', () => {
  const config = parseLlmConfig(contractExample, { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: 'k' });
  expect(config.providers.map((p) => p.name)).toEqual(['anthropic']);
});

test('interpolation works inside a string (base_url host from the environment)', () => {
  const config = parseLlmConfig(
    `providers:\n  - {name: local, type: openai, base_url: "http://\${VLLM_HOST}:8000/v1", model: m}\n`,
    { VLLM_HOST: '10.0.0.5' },
  );
  expect(config.providers[0].base_url).toBe('http://10.0.0.5:8000/v1');
  expect(config.providers[0].api_key).toBeUndefined();
});

test('unknown keys are errors, each named by its path', () => {
  const problems = problemsOf(`
providers:
  - {name: a, type: openai, base_url: "http://x", model: m, wieght: 3}
routing:
  strategy: failover
  hedge: {enabled: true, dalay_ms: 5}
extra: 1
`);
  expect(problems).toEqual(
    expect.arrayContaining(['extra: unknown key', 'routing.hedge.dalay_ms: unknown key', 'providers[0].wieght: unknown key']),
  );
});

test('a disabled provider is still checked for everything that does not depend on the unset variable', () => {
  const problems = problemsOf(`
providers:
  - {name: a, type: openai, base_url: "http://x", api_key: "\${UNSET_KEY}", model: m, weight: -1, colour: red}
`);
  expect(problems).toEqual(['providers[0].weight: Too small: expected number to be >=0', 'providers[0].colour: unknown key']);
});

test.each([
  ['a bad type', 'providers:\n  - {name: a, type: gemini, base_url: "http://x", model: m}', /^providers\[0\]\.type: /],
  ['a non-http base_url', 'providers:\n  - {name: a, type: openai, base_url: "ftp://x", model: m}', /^providers\[0\]\.base_url: must be an http\(s\) URL/],
  ['a missing model', 'providers:\n  - {name: a, type: openai, base_url: "http://x"}', /^providers\[0\]\.model: /],
  ['an unknown fallback class', 'routing:\n  fallback_on: [5xx, 4xx]', /^routing\.fallback_on\[1\]: /],
  ['a zero deadline', 'routing:\n  deadline_ms: 0', /^routing\.deadline_ms: /],
  ['a failure rate above 1', 'routing:\n  breaker: {failure_rate: 2}', /^routing\.breaker\.failure_rate: /],
  ['an unset variable outside providers', 'routing:\n  strategy: "${STRATEGY}"', /^routing\.strategy: environment variable STRATEGY is not set/],
])('%s is rejected with its key path', (_name, yaml, expected) => {
  expect(problemsOf(yaml)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
});

test('duplicate provider names are rejected', () => {
  const problems = problemsOf('providers:\n  - {name: a, type: openai, base_url: "http://x", model: m}\n  - {name: a, type: openai, base_url: "http://y", model: m}');
  expect(problems).toEqual(['providers: duplicate provider name "a"']);
});

test('invalid YAML is reported without quoting the file (which may hold a key)', () => {
  const problems = problemsOf(`providers:\n  - name: a\n    api_key: "${API_KEY}\n  bad: [`);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^not valid YAML/);
  expect(problems[0]).not.toContain(API_KEY);
});

test('the error message lists every problem and never a key value', () => {
  let message = '';
  try {
    parseLlmConfig(`providers:\n  - {name: a, type: nope, base_url: "http://x", api_key: ${API_KEY}, model: 7}\n`, {});
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/Invalid LLM configuration/);
  expect(message).toMatch(/providers\[0\]\.type/);
  expect(message).toMatch(/providers\[0\]\.model/);
  expect(message).not.toContain(API_KEY);
});

test('keys do not show in JSON or util.inspect of the config', () => {
  const config = parseLlmConfig(contractExample, { OPENAI_API_KEY: API_KEY, ANTHROPIC_API_KEY: API_KEY });
  expect(JSON.stringify(config)).not.toContain(API_KEY);
  expect(inspect(config, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  expect(`${config.providers[0].api_key}`).toBe('[redacted]');
});

describe('loadLlmConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftnote-llm-'));

  test('reads a file', () => {
    const path = join(dir, 'llm.yaml');
    writeFileSync(path, contractExample);
    const config = loadLlmConfig(path, { OPENAI_API_KEY: 'k1', ANTHROPIC_API_KEY: 'k2' });
    expect(config.providers).toHaveLength(2);
  });

  test('a missing file means zero providers (fallback only)', () => {
    const log = captureLogger();
    const config = loadLlmConfig(join(dir, 'absent.yaml'), {}, log);
    expect(config.providers).toEqual([]);
    expect(config.routing.deadline_ms).toBe(8000);
    expect(log.lines).toHaveLength(1);
  });

  test('an empty file is valid and has no provider', () => {
    const path = join(dir, 'empty.yaml');
    writeFileSync(path, '');
    expect(loadLlmConfig(path, {}).providers).toEqual([]);
  });

  test('the repository config validates', () => {
    const config = loadLlmConfig(join(__dirname, '../../config/llm.yaml'), {});
    expect(config.routing.strategy).toBe('failover');
  });
});
