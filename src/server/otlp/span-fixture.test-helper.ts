import type { OtlpSpan } from './otlp-spans.js';

/** A read span (as readSpans gives it) for mapping tests; `overrides` replace its fields. */
export function otlpSpan(overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    path: 'resourceSpans[0].scopeSpans[0].spans[0]',
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    name: 'op',
    kind: 1,
    startTimeUnixNano: 1764400000000000999n,
    endTimeUnixNano: 1764400001500000000n,
    attributes: {},
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    traceState: '',
    resource: {},
    scope: { name: '', version: '', attributes: {} },
    ...overrides,
  };
}
