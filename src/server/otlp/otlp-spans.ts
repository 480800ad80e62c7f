import { attributes, enumValue, id, list, nanos, obj, own, str, type Attributes } from './otlp-values.js';

export type { AttrValue, Attributes } from './otlp-values.js';

export interface OtlpEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

/** One span of a request, its ids in lowercase hex and its times in nanoseconds. */
export interface OtlpSpan {
  /** Where the span sits in the request: `resourceSpans[0].scopeSpans[1].spans[2]`. */
  path: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** `SPAN_KIND_*` number (0 unspecified ... 5 consumer). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: OtlpEvent[];
  links: { traceId: string; spanId: string; attributes: Attributes }[];
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  traceState: string;
  resource: Attributes;
  scope: { name: string; version: string; attributes: Attributes };
}

/**
 * The spans of an `ExportTraceServiceRequest`, decoded from protobuf (protobufjs messages: ids as bytes,
 * 64-bit times as Long) or parsed from OTLP/JSON (ids as hex, times as decimal strings or numbers).
 * Both use lowerCamelCase keys, so one reader serves both. Anything of the wrong type is a
 * ValidationError naming its place in the request (`resourceSpans[0].scopeSpans[0].spans[3].spanId`).
 * Unknown fields are ignored, as OTLP requires.
 */
export function readSpans(request: unknown): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  const body = obj(request, 'body');
  list(body, 'resourceSpans', '').forEach((rsValue, r) => {
    const rsPath = `resourceSpans[${r}]`;
    const rs = obj(rsValue, rsPath);
    const resourceValue = own(rs, 'resource');
    const resource =
      resourceValue == null ? {} : attributes(obj(resourceValue, `${rsPath}.resource`), `${rsPath}.resource`);
    list(rs, 'scopeSpans', rsPath).forEach((ssValue, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      const ss = obj(ssValue, ssPath);
      const scope = readScope(own(ss, 'scope'), `${ssPath}.scope`);
      list(ss, 'spans', ssPath).forEach((spanValue, i) => {
        spans.push(readSpan(spanValue, `${ssPath}.spans[${i}]`, resource, scope));
      });
    });
  });
  return spans;
}

function readScope(value: unknown, path: string): OtlpSpan['scope'] {
  if (value == null) return { name: '', version: '', attributes: {} };
  const o = obj(value, path);
  return { name: str(o, 'name', path), version: str(o, 'version', path), attributes: attributes(o, path) };
}

function readSpan(value: unknown, path: string, resource: Attributes, scope: OtlpSpan['scope']): OtlpSpan {
  const o = obj(value, path);
  const statusValue = own(o, 'status');
  const status = statusValue == null ? undefined : obj(statusValue, `${path}.status`);
  return {
    path,
    traceId: id(o, 'traceId', path, 16, true),
    spanId: id(o, 'spanId', path, 8, true),
    parentSpanId: id(o, 'parentSpanId', path, 8, false),
    name: str(o, 'name', path),
    kind: enumValue(o, 'kind', path, SPAN_KINDS),
    startTimeUnixNano: nanos(o, 'startTimeUnixNano', path, true),
    endTimeUnixNano: nanos(o, 'endTimeUnixNano', path, true),
    attributes: attributes(o, path),
    events: list(o, 'events', path).map((e, i) => {
      const ePath = `${path}.events[${i}]`;
      const ev = obj(e, ePath);
      return {
        name: str(ev, 'name', ePath),
        timeUnixNano: nanos(ev, 'timeUnixNano', ePath),
        attributes: attributes(ev, ePath),
      };
    }),
    links: list(o, 'links', path).map((l, i) => {
      const lPath = `${path}.links[${i}]`;
      const link = obj(l, lPath);
      return {
        traceId: id(link, 'traceId', lPath, 16, true),
        spanId: id(link, 'spanId', lPath, 8, true),
        attributes: attributes(link, lPath),
      };
    }),
    statusCode: status ? enumValue(status, 'code', `${path}.status`, STATUS_CODES) : 0,
    statusMessage: status ? str(status, 'message', `${path}.status`) : '',
    traceState: str(o, 'traceState', path),
    resource,
    scope,
  };
}

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map(
  (k) => `SPAN_KIND_${k}`,
);
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'].map((c) => `STATUS_CODE_${c}`);
