import { context, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { AlsContextManager } from './als-context-manager.js';

/**
 * The OpenTelemetry baseline: BasicTracerProvider + BatchSpanProcessor + InMemorySpanExporter, context
 * propagated over AsyncLocalStorage. `wrap` traces a function the way an OTel user would:
 * `startActiveSpan` around it, ending the span when it returns or its promise settles.
 *
 * The exporter is OTel's in-memory one, or (`exporter: 'noop'`) one that only counts the spans it is
 * handed. The processor has its default options unless `maxQueueSize` is given: by default it holds 2 048
 * finished spans and drops the rest until its 5 s timer exports them, so a tight burst keeps few spans.
 * All instances share one context manager (OTel's context API has one global manager).
 */
/** An exporter that only counts what it is given (OTel's cheapest possible export). */
class CountingNoopExporter implements SpanExporter {
  count = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.count += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export class OtelBaseline {
  private readonly exporter: InMemorySpanExporter | CountingNoopExporter;
  readonly contextManager: AlsContextManager;
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(
    options: { maxQueueSize?: number; contextManager?: AlsContextManager; exporter?: 'memory' | 'noop' } = {},
  ) {
    this.exporter = options.exporter === 'noop' ? new CountingNoopExporter() : new InMemorySpanExporter();
    const processorOptions = options.maxQueueSize === undefined ? {} : { maxQueueSize: options.maxQueueSize };
    this.provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(this.exporter, processorOptions)],
    });
    this.tracer = this.provider.getTracer('weft-bench');
    this.contextManager = options.contextManager ?? new AlsContextManager();
    if (!options.contextManager) context.setGlobalContextManager(this.contextManager);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  wrap<F extends (...args: any[]) => any>(fn: F, name: string): F {
    const tracer = this.tracer;
    return function (this: unknown, ...args: unknown[]): unknown {
      return tracer.startActiveSpan(name, (span) => {
        let result: unknown;
        try {
          result = fn.apply(this, args);
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          throw err;
        }
        if (result instanceof Promise) {
          return result.then(
            (value: unknown) => {
              span.end();
              return value;
            },
            (err: unknown) => {
              span.setStatus({ code: SpanStatusCode.ERROR });
              span.end();
              throw err;
            },
          );
        }
        span.end();
        return result;
      });
    } as F;
  }

  /** Exports everything finished; returns how many spans the exporter holds, then clears it. */
  async drain(): Promise<number> {
    await this.provider.forceFlush();
    if (this.exporter instanceof CountingNoopExporter) {
      const n = this.exporter.count;
      this.exporter.count = 0;
      return n;
    }
    const n = this.exporter.getFinishedSpans().length;
    this.exporter.reset();
    return n;
  }
}
