import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

// Spans made with the real OpenTelemetry SDK, for the OTLP ingest tests.

/** A provider exporting through `exporter` with a BatchSpanProcessor, as an app would set it up. */
export function providerWith(exporter: SpanExporter, service = 'otel-test-app'): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 10 })],
  });
}

/** An agent span with a GenAI chat child and a failing tool child. */
export function recordAgentTrace(provider: BasicTracerProvider): { traceId: string; root: string } {
  const tracer = provider.getTracer('weft-otlp-test', '1.2.3');
  const root = tracer.startSpan('agent.run', { attributes: { 'app.user': 'ada', 'app.turn': 3 } });
  const ctx = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: 'hello!' }], finish_reason: 'stop' },
        ]),
        'custom.flag': true,
      },
    },
    ctx,
  );
  chat.end();
  const tool = tracer.startSpan('tool.search', {}, ctx);
  tool.recordException(new TypeError('index offline'));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'index offline' });
  tool.end();
  root.end();
  return { traceId: root.spanContext().traceId, root: root.spanContext().spanId };
}

/** Spans recorded in memory (to export the very same spans more than once). */
export function recordInMemory(record: (provider: BasicTracerProvider) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'memory' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  record(provider);
  return memory.getFinishedSpans();
}

export function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (r) => (r.error ? reject(r.error) : resolve())),
  );
}
