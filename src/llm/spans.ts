// One CLIENT span per attempt in OpenTelemetry GenAI semantic-convention terms: routing facts and counts, never content.
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Decoded } from './providers/adapter';
import type { AttemptOutcome, AttemptStart, ChatRequest } from './types';

const tracer = trace.getTracer('shiftnote.llm');

interface SpanTarget {
  readonly adapter: { readonly genAiProvider: string };
  readonly host: string;
  readonly serverPort: number;
}

/** null when tracing is off, so the hot path builds no attributes. */
export function startAttemptSpan(target: SpanTarget, start: AttemptStart, auditEventId: string, request: ChatRequest): Span | null {
  const span = tracer.startSpan(`chat ${start.model}`, { kind: SpanKind.CLIENT });
  if (!span.isRecording()) return null;
  const colon = target.host.lastIndexOf(':');
  span.setAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': target.adapter.genAiProvider,
    'gen_ai.request.model': start.model,
    'gen_ai.request.max_tokens': request.maxTokens,
    'server.address': colon > 0 && !target.host.endsWith(']') ? target.host.slice(0, colon) : target.host,
    'server.port': target.serverPort,
    'shiftnote.llm.provider': start.provider,
    'shiftnote.llm.attempt': start.attempt,
    'shiftnote.audit_event_id': auditEventId,
  });
  return span;
}

export function endAttemptSpan(span: Span, status: number | null, outcome: AttemptOutcome, reply: Decoded | null): void {
  if (status !== null) span.setAttribute('http.response.status_code', status);
  span.setAttribute('shiftnote.llm.outcome', outcome);
  if (reply !== null) {
    if (reply.responseModel !== undefined) span.setAttribute('gen_ai.response.model', reply.responseModel);
    if (reply.finishReason !== undefined) span.setAttribute('gen_ai.response.finish_reasons', [reply.finishReason]);
    if (reply.usage !== undefined) {
      span.setAttribute('gen_ai.usage.input_tokens', reply.usage.inputTokens);
      span.setAttribute('gen_ai.usage.output_tokens', reply.usage.outputTokens);
    }
  }
  if (outcome !== 'success') {
    // error.type: a low-cardinality class, as the conventions ask (the outcome, e.g. "429", "timeout", "refused").
    span.setAttribute('error.type', outcome);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
