// Child process of vertex.int.test.ts: one Vertex call with credentials from a file, in plain Node (as in production:
// google-auth-library's STS exchange loads its fetch with a dynamic import that jest's module runtime cannot run).
import { createLlmClient, parseLlmConfig } from '../../src/llm';

async function run(): Promise<void> {
  const config = parseLlmConfig(process.env.LLM_YAML ?? '', process.env);
  const client = createLlmClient(config, {
    beforeAttempt: async () => '00000000-0000-4000-8000-000000000001',
    afterAttempt: async () => {},
  });
  try {
    const answer = await client.complete({ system: 's', messages: [{ role: 'user', content: 'u' }], maxTokens: 50 }, { meta: {} });
    process.stdout.write(JSON.stringify({ ok: true, provider: answer.provider }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ ok: false, error: String((err as Error).message) }) + '\n');
  } finally {
    await client.close();
  }
}

void run();
