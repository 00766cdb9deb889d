// LLM configuration: YAML shape, ${VAR} interpolation, disabled providers, clear errors, no key in logs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { LlmConfigError, loadLlmConfig, parseLlmConfig, type ProviderConfig, type Secret } from '../../src/llm';
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

const keyOf = (p: ProviderConfig): Secret | undefined => ('api_key' in p ? p.api_key : undefined);

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
    ['openai', 'openai', 100, false, 128],
    ['anthropic', 'anthropic', 0, false, 128],
  ]);
  expect(keyOf(config.providers[0])?.reveal()).toBe(API_KEY);
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
  const config = parseLlmConfig(`providers:\n  - {name: local, type: openai, base_url: "http://\${VLLM_HOST}:8000/v1", model: m}\n`, {
    VLLM_HOST: '10.0.0.5',
  });
  expect(config.providers[0].base_url).toBe('http://10.0.0.5:8000/v1');
  expect(keyOf(config.providers[0])).toBeUndefined();
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
  [
    'a non-http base_url',
    'providers:\n  - {name: a, type: openai, base_url: "ftp://x", model: m}',
    /^providers\[0\]\.base_url: must be an http\(s\) URL/,
  ],
  ['a missing model', 'providers:\n  - {name: a, type: openai, base_url: "http://x"}', /^providers\[0\]\.model: /],
  ['an unknown fallback class', 'routing:\n  fallback_on: [5xx, 4xx]', /^routing\.fallback_on\[1\]: /],
  ['a zero deadline', 'routing:\n  deadline_ms: 0', /^routing\.deadline_ms: /],
  ['a failure rate above 1', 'routing:\n  breaker: {failure_rate: 2}', /^routing\.breaker\.failure_rate: /],
  [
    'an unset variable outside providers',
    'routing:\n  strategy: "${STRATEGY}"',
    /^routing\.strategy: environment variable STRATEGY is not set/,
  ],
])('%s is rejected with its key path', (_name, yaml, expected) => {
  expect(problemsOf(yaml)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
});

test('duplicate provider names are rejected', () => {
  const problems = problemsOf(
    'providers:\n  - {name: a, type: openai, base_url: "http://x", model: m}\n  - {name: a, type: openai, base_url: "http://y", model: m}',
  );
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
    parseLlmConfig(`providers:\n  - {name: a, type: openai, base_url: "http://x", api_key: ${API_KEY}, model: 7, weight: -2}\n`, {});
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/Invalid LLM configuration/);
  expect(message).toMatch(/providers\[0\]\.weight/);
  expect(message).toMatch(/providers\[0\]\.model/);
  expect(message).not.toContain(API_KEY);
});

test('keys do not show in JSON or util.inspect of the config', () => {
  const config = parseLlmConfig(contractExample, { OPENAI_API_KEY: API_KEY, ANTHROPIC_API_KEY: API_KEY });
  expect(JSON.stringify(config)).not.toContain(API_KEY);
  expect(inspect(config, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  expect(`${String(keyOf(config.providers[0]))}`).toBe('[redacted]');
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

describe('provider types', () => {
  test('every type parses with its own keys and the shared ones', () => {
    const config = parseLlmConfig(
      `
providers:
  - {name: oa, type: openai, api_key: k, model: gpt-5.4-mini, weight: 5, baa: true}
  - {name: az, type: azure-openai, endpoint: "https://res.openai.azure.com", deployment: summaries, api_version: "2024-10-21", api_key: k, baa: true}
  - {name: az1, type: azure-openai, endpoint: "https://res.openai.azure.com", model: summaries, auth: entra, baa: true}
  - {name: an, type: anthropic, api_key: k, model: claude-haiku-5-5, baa: true}
  - {name: br, type: bedrock, region: us-east-1, model: us.anthropic.claude-haiku-5-5, api: invoke, baa: true}
  - {name: vx, type: vertex, project: p, region: us-east5, publisher: google, model: gemini-3.5-flash, baa: true, base_url: "http://127.0.0.1:9"}
`,
      {},
    );
    expect(config.providers.map((p) => p.type)).toEqual(['openai', 'azure-openai', 'azure-openai', 'anthropic', 'bedrock', 'vertex']);
    expect(config.providers[3]).toMatchObject({ api_version: '2026-10-21' });
    expect(config.providers[4]).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', api: 'invoke' });
    expect(config.providers[5]).toMatchObject({ anthropic_version: 'vertex-2023-10-16', base_url: 'http://127.0.0.1:9' });
  });

  test.each([
    [
      'azure classic without api_version',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", deployment: d, api_key: k}',
      'providers[0].api_version: required with deployment (classic deployments path)',
    ],
    [
      'azure v1 without model',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", api_key: k}',
      'providers[0].model: required without deployment (the v1 path sends the deployment name as model)',
    ],
    [
      'azure v1 with api_version',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", model: m, api_version: "2024-10-21", api_key: k}',
      'providers[0].api_version: only for classic deployments: the v1 path has no api-version',
    ],
    [
      'azure without key or entra',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", model: m}',
      'providers[0].api_key: required unless auth: entra',
    ],
    [
      'azure entra with a key',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", model: m, auth: entra, api_key: k}',
      'providers[0].api_key: not with auth: entra',
    ],
    [
      'azure client secret without tenant',
      '{name: a, type: azure-openai, endpoint: "https://r.openai.azure.com", model: m, auth: entra, client_secret: s}',
      'providers[0].client_secret: client credentials need tenant_id and client_id too',
    ],
    [
      'bedrock invoke with a non-Anthropic model',
      '{name: a, type: bedrock, region: us-east-1, model: amazon.nova-pro-v1:0, api: invoke}',
      "providers[0].model: api: invoke sends Anthropic's Bedrock body: use an anthropic.* model or profile, or api: converse",
    ],
    [
      'bedrock with a bad region',
      '{name: a, type: bedrock, region: mars, model: m}',
      'providers[0].region: an AWS region such as us-east-1',
    ],
    ['vertex without a publisher', '{name: a, type: vertex, project: p, region: us-east5, model: m}', /^providers\[0\]\.publisher: /],
    [
      'temperature on the 2026-10-21 Anthropic API',
      '{name: a, type: anthropic, api_key: k, model: m, params: {temperature: true}}',
      'providers[0].params: temperature: the 2026-10-21 API rejects it (use api_version 2023-06-01 to send one)',
    ],
    [
      'a Claude effort Claude does not take',
      '{name: a, type: anthropic, api_key: k, model: m, params: {reasoning_effort: minimal}}',
      'providers[0].params: reasoning_effort: Claude takes low, medium, high, xhigh or max',
    ],
    [
      'thinking for a non-Claude provider',
      '{name: a, type: openai, model: m, params: {thinking: adaptive}}',
      'providers[0].params: thinking: Claude only (anthropic, vertex publisher anthropic, bedrock api invoke)',
    ],
    ['an unknown params key', '{name: a, type: openai, model: m, params: {top_p: 1}}', 'providers[0].params.top_p: unknown key'],
  ])('%s is rejected', (_name, provider, expected) => {
    expect(problemsOf(`providers:\n  - ${provider}\n`)).toEqual(
      expect.arrayContaining([typeof expected === 'string' ? expected : expect.stringMatching(expected)]),
    );
  });

  test('an unknown type names the key', () => {
    expect(problemsOf('providers:\n  - {name: a, type: gemini, model: m}\n')[0]).toMatch(/^providers\[0\]\.type: /);
  });
});

describe('BAA enforcement', () => {
  const two = (first: string, second: string, routing = '') => `providers:\n  - ${first}\n  - ${second}\n${routing}`;

  test.each([
    // [name, yaml, production, problems]
    [
      'failover from a BAA provider to one without',
      two('{name: cloud, type: openai, model: m, weight: 10, baa: true}', '{name: direct, type: openai, model: m, weight: 0}'),
      false,
      [/^providers\[1\] \(direct\): failover from BAA provider "cloud"/],
    ],
    [
      'the same, accepted with allow_without_baa',
      two(
        '{name: cloud, type: openai, model: m, weight: 10, baa: true}',
        '{name: direct, type: openai, model: m, weight: 0, allow_without_baa: true}',
      ),
      false,
      [],
    ],
    [
      'failover from no BAA to a BAA provider',
      two('{name: direct, type: openai, model: m, weight: 10}', '{name: cloud, type: openai, model: m, weight: 0, baa: true}'),
      false,
      [],
    ],
    [
      'weighted: a BAA provider can be picked first',
      two(
        '{name: direct, type: openai, model: m, weight: 10}',
        '{name: cloud, type: openai, model: m, weight: 1, baa: true}',
        'routing: {strategy: weighted}',
      ),
      false,
      [/^providers\[0\] \(direct\): failover from BAA provider "cloud"/],
    ],
    [
      'weighted: a weight-0 BAA provider is never first',
      two(
        '{name: direct, type: openai, model: m, weight: 10}',
        '{name: cloud, type: openai, model: m, weight: 0, baa: true}',
        'routing: {strategy: weighted}',
      ),
      false,
      [],
    ],
    [
      'production: every provider needs a BAA',
      two('{name: a, type: openai, model: m, baa: true}', '{name: b, type: openai, model: m}'),
      true,
      [/^providers\[1\] \(b\): NODE_ENV=production and no BAA/],
    ],
    [
      'production: allow_without_baa accepts it',
      two('{name: a, type: openai, model: m, baa: true}', '{name: b, type: openai, model: m, allow_without_baa: true}'),
      true,
      [],
    ],
  ])('%s', (_name, yaml, production, expected) => {
    const env = production ? { NODE_ENV: 'production' } : {};
    if (expected.length === 0) {
      expect(() => parseLlmConfig(yaml, env)).not.toThrow();
      return;
    }
    expect(problemsOf(yaml, env)).toEqual(expected.map((re) => expect.stringMatching(re)));
  });

  test('a disabled provider (unset variable) is not part of the order', () => {
    const yaml = two(
      '{name: cloud, type: openai, model: m, weight: 10, baa: true}',
      '{name: direct, type: openai, model: m, api_key: "${UNSET}"}',
    );
    expect(parseLlmConfig(yaml, {}).providers.map((p) => p.name)).toEqual(['cloud']);
  });

  test('allow_without_baa is logged as a warning naming the provider', () => {
    const log = captureLogger();
    parseLlmConfig('providers:\n  - {name: b, type: openai, model: m, allow_without_baa: true}\n', { NODE_ENV: 'production' }, log);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        obj: { provider: 'b' },
        msg: expect.stringMatching(/WITHOUT a business associate agreement/),
      }),
    ]);
  });

  test('the shipped config stops production start-up for its non-BAA providers, and validates in any other mode', () => {
    const path = join(__dirname, '../../config/llm.yaml');
    const env = {
      OPENAI_API_KEY: 'k1',
      ANTHROPIC_API_KEY: 'k2',
      AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'summaries',
      BEDROCK_REGION: 'us-east-1',
      VERTEX_PROJECT: 'project-1',
    };
    expect(loadLlmConfig(path, env).providers.map((p) => [p.name, p.baa])).toEqual([
      ['openai', false],
      ['anthropic', false],
      ['azure', true],
      ['bedrock', true],
      ['vertex', true],
    ]);
    let problems: readonly string[] = [];
    try {
      loadLlmConfig(path, { ...env, NODE_ENV: 'production' });
    } catch (err) {
      problems = (err as LlmConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^providers\[0\] \(openai\): NODE_ENV=production/),
      expect.stringMatching(/^providers\[1\] \(anthropic\): NODE_ENV=production/),
    ]);
    const { OPENAI_API_KEY: _o, ANTHROPIC_API_KEY: _a, ...cloudOnly } = env;
    expect(loadLlmConfig(path, { ...cloudOnly, NODE_ENV: 'production' }).providers.map((p) => p.name)).toEqual([
      'azure',
      'bedrock',
      'vertex',
    ]);
  });
});
