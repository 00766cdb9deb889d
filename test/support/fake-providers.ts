// All five provider types faked at once on loopback, with their credential issuers, and the llm.yaml and
// environment that point shiftnote at them. Run directly to keep them up for `npm run providers:check`:
//   npx tsx test/support/fake-providers.ts   (prints the environment to use; Ctrl-C stops)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeAnswer, startFakeAnthropic } from './fake-anthropic';
import { startFakeAzure } from './fake-azure';
import { converseAnswer, startFakeBedrock } from './fake-bedrock';
import { startFakeEntra, startFakeMetadataServer } from './fake-identity';
import { openaiAnswer, startFakeOpenAi } from './fake-openai';
import type { FakeStep, FakeUpstream, RecordedRequest } from './fake-upstream';
import { geminiAnswer, startFakeVertex } from './fake-vertex';

export interface FakeProviders {
  /** Path of an llm.yaml naming every fake. */
  configPath: string;
  yaml: string;
  /** Variables the credential chains need (AWS keys, metadata host, managed identity endpoint). */
  env: Record<string, string>;
  upstreams: Record<'openai' | 'azure' | 'anthropic' | 'bedrock' | 'vertex', FakeUpstream>;
  /** reset() every fake and answer the check again (reset alone restores each fake's generic answer). */
  reset(): void;
  close(): Promise<void>;
}

const OPENAI_KEY = 'sk-fake-openai-key-0001';
const ANTHROPIC_KEY = 'sk-ant-fake-key-0001';
const AWS = { id: 'AKIAFAKEPROVIDERS001', secret: 'fake-aws-secret-0001' };

/** Answers the JSON the check asks for, echoing its nonce, in each provider's own shape. */
function echoCheck(shape: (text: string) => FakeStep): FakeStep {
  return {
    reply: (req: RecordedRequest) => {
      const nonce = /"check": "([0-9a-f]+)"/.exec(req.body.replace(/\\"/g, '"'))?.[1] ?? 'none';
      return shape(JSON.stringify({ ok: true, check: nonce }));
    },
  };
}

export async function startFakeProviders(options: { anthropicModel?: string } = {}): Promise<FakeProviders> {
  const entra = await startFakeEntra({ tenant: 't', clientId: 'c', clientSecret: 's', identityHeader: 'fake-identity-header' });
  const metadata = await startFakeMetadataServer({ project: 'hospital-ai' });
  const openai = await startFakeOpenAi({ apiKey: OPENAI_KEY, models: ['gpt-5.4-mini'] });
  const azure = await startFakeAzure({ deployments: { summaries: 'gpt-5.4-mini' }, entra });
  const anthropic = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY, models: ['claude-haiku-5-5'] });
  const bedrock = await startFakeBedrock({
    region: 'us-east-1',
    models: ['us.anthropic.claude-haiku-5-5'],
    keys: new Map([[AWS.id, AWS.secret]]),
  });
  const vertex = await startFakeVertex({
    project: 'hospital-ai',
    region: 'us-east5',
    models: ['google/gemini-3.5-flash'],
    tokens: metadata,
  });
  const answerTheCheck = () => {
    openai.setDefault(echoCheck((t) => openaiAnswer(t, { model: 'gpt-5.4-mini-2026-03-17' })));
    azure.setDefault(echoCheck((t) => openaiAnswer(t, { model: 'gpt-5.4-mini' })));
    anthropic.setDefault(echoCheck((t) => claudeAnswer(t, { model: 'claude-haiku-5-5' })));
    bedrock.setDefault(echoCheck((t) => converseAnswer(t)));
    vertex.setDefault(echoCheck((t) => geminiAnswer(t)));
  };
  answerTheCheck();

  const yaml = [
    'providers:',
    `  - {name: openai, type: openai, base_url: "${openai.url}", api_key: ${OPENAI_KEY}, model: gpt-5.4-mini, weight: 100, baa: true}`,
    `  - {name: azure, type: azure-openai, endpoint: "https://hospital.openai.azure.com", base_url: "${azure.url}", deployment: summaries, api_version: "2024-10-21", auth: entra, model: gpt-5.4-mini, weight: 0, baa: true}`,
    `  - {name: anthropic, type: anthropic, base_url: "${anthropic.url}", api_key: ${ANTHROPIC_KEY}, model: ${options.anthropicModel ?? 'claude-haiku-5-5'}, weight: 0, baa: true}`,
    `  - {name: bedrock, type: bedrock, region: us-east-1, base_url: "${bedrock.url}", model: us.anthropic.claude-haiku-5-5, weight: 0, baa: true}`,
    `  - {name: vertex, type: vertex, project: hospital-ai, region: us-east5, publisher: google, model: gemini-3.5-flash, base_url: "${vertex.url}", weight: 0, baa: true}`,
    '',
  ].join('\n');
  const configPath = join(mkdtempSync(join(tmpdir(), 'shiftnote-fake-providers-')), 'llm.yaml');
  writeFileSync(configPath, yaml);
  const env = {
    AWS_ACCESS_KEY_ID: AWS.id,
    AWS_SECRET_ACCESS_KEY: AWS.secret,
    AWS_EC2_METADATA_DISABLED: 'true',
    IDENTITY_ENDPOINT: `${entra.url}/msi/token`,
    IDENTITY_HEADER: 'fake-identity-header',
    GCE_METADATA_HOST: `127.0.0.1:${metadata.port}`,
  };
  const all = [entra, metadata, openai, azure, anthropic, bedrock, vertex];
  return {
    configPath,
    yaml,
    env,
    upstreams: { openai, azure, anthropic, bedrock, vertex },
    reset: () => {
      for (const up of [openai, azure, anthropic, bedrock, vertex]) up.reset();
      answerTheCheck();
    },
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}

if (require.main === module) {
  void startFakeProviders({ anthropicModel: process.argv.includes('--retired-claude') ? 'claude-3-5-haiku-latest' : undefined }).then(
    (fakes) => {
      const lines = [`LLM_CONFIG=${fakes.configPath}`, ...Object.entries(fakes.env).map(([k, v]) => `${k}=${v}`)];
      process.stdout.write(`${lines.join(' ')}\n`);
      process.on('SIGINT', () => void fakes.close().then(() => process.exit(0)));
      process.on('SIGTERM', () => void fakes.close().then(() => process.exit(0)));
    },
  );
}
