// Secrets and content stay out of spans, logs, errors and inspected objects; spans carry routing facts only.
import { inspect } from 'node:util';
import { SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLlmClient, type LlmClient } from '../../src/llm';
import { type FakeUpstream, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { API_KEY, captureLogger, chat, makeConfig, recordingHooks } from './helpers';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let a: FakeUpstream;
let b: FakeUpstream;
let client: LlmClient;
const log = captureLogger();

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  [a, b] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
  client = createLlmClient(
    makeConfig([
      { name: 'a', url: a.url, weight: 2 },
      { name: 'b', url: b.url, weight: 1 },
    ]),
    recordingHooks(),
    { logger: log },
  );
});
afterAll(async () => {
  await client.close();
  await Promise.all([a.close(), b.close()]);
  trace.disable();
  await provider.shutdown();
});

test('one CLIENT span per attempt in GenAI semantic-convention terms, with routing facts and the audit id only', async () => {
  a.script([{ status: 500, json: { error: `echo ${chat.messages[0].content}` } }]);
  b.script([openaiReply('a private answer about the patient')]);
  await client.complete(chat, { meta: { patientId: 'p-123' } });

  const spans = exporter.getFinishedSpans();
  expect(
    spans.map((s) => [
      s.name,
      s.kind,
      s.attributes['shiftnote.llm.provider'],
      s.attributes['shiftnote.llm.outcome'],
      s.attributes['error.type'],
    ]),
  ).toEqual([
    ['chat a-model', SpanKind.CLIENT, 'a', '5xx', '5xx'],
    ['chat b-model', SpanKind.CLIENT, 'b', 'success', undefined],
  ]);
  expect(spans[1].attributes).toEqual({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'b-model',
    'gen_ai.request.max_tokens': chat.maxTokens,
    'gen_ai.response.model': 'fake-model',
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 10,
    'gen_ai.usage.output_tokens': 5,
    'server.address': '127.0.0.1',
    'server.port': b.port,
    'shiftnote.llm.provider': 'b',
    'shiftnote.llm.attempt': 2,
    'shiftnote.audit_event_id': b.requests[0].headers['x-audit-event-id'],
    'http.response.status_code': 200,
    'shiftnote.llm.outcome': 'success',
  });
  const dump = JSON.stringify(spans.map((s) => ({ attributes: s.attributes, events: s.events, status: s.status })));
  for (const secret of [API_KEY, chat.system, 'patient', 'p-123', 'private answer']) expect(dump).not.toContain(secret);
});

test('the API key never appears in logs, errors, or the inspected client', async () => {
  a.setDefault({ status: 401, json: { error: { message: `Incorrect API key provided: ${API_KEY}` } } });
  b.setDefault({ reset: true });
  const err = await client.complete(chat, { meta: {} }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  expect(log.lines.length).toBeGreaterThan(0);
  expect(log.text()).not.toContain(API_KEY);
  expect(inspect(client, { depth: 6, showHidden: true })).not.toContain(API_KEY);
  expect(JSON.stringify(client.enabledProviders())).not.toContain(API_KEY);
});
