import { Hono } from 'hono';
import type { Context } from 'hono';
import { StoreError, ValidationError } from '../../shared/errors.js';
import type { CallPart } from '../../store/trace-store.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { DEFAULTS } from '../defaults.js';
import { errorToResponse } from '../error-response.js';
import { HttpError } from '../http-error.js';
import { readBody } from '../read-body.js';
import { ingestAt } from '../routes/calls-write-paths.js';
import { parseCompleteCall } from '../validation/call-parts.js';
import { checkProjectId } from '../validation/project-id.js';
import { decodeTraceRequest, ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js';
import { readSpans } from './otlp-spans.js';
import { spanToCall } from './span-to-call.js';

/** The header naming the project spans are written to (else the API key's project). */
export const PROJECT_HEADER = 'x-weft-project';

type Encoding = 'protobuf' | 'json';
const CONTENT_TYPES: Record<Encoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * OTLP/HTTP trace ingest, `POST /otel/v1/traces` and `POST /v1/traces`: an `ExportTraceServiceRequest`
 * as protobuf or JSON, gzipped or not (the body limit applies to the decompressed bytes). Every span
 * becomes a complete call (span-to-call.ts) validated by the same `parseCompleteCall` as
 * `calls/complete` and written with one `store.ingest`: a re-sent span is merged, not duplicated, and
 * a request with one bad span writes nothing. The answer is an `ExportTraceServiceResponse` (no
 * `partial_success`: a request is taken whole or refused) or, for an error, a `google.rpc.Status`, both
 * in the request's encoding; JSON errors also carry weft's `{ error, field }`.
 */
export function otlpRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limits = { maxMessages: DEFAULTS.otlpMaxMessages, maxDepth: DEFAULTS.otlpMaxDepth };

  const exportTraces = async (c: Context<AppEnv>): Promise<Response> => {
    let encoding: Encoding = 'json';
    try {
      encoding = encodingOf(c.req.header('content-type'));
      const project = projectOf(c);
      const bytes = await readBody(c.req.raw, deps.maxBodyBytes, c.env?.incoming);
      const request = encoding === 'protobuf' ? decodeTraceRequest(bytes, limits) : parseJson(bytes);
      const spans = readSpans(request);
      const parts: CallPart[] = spans.map((span) => parseCompleteCall(spanToCall(span, project), span.path));
      if (parts.length > 0) await ingestAt(deps.store, parts, (i) => spans[i]?.path ?? `spans[${i}]`);
      return answer(
        encoding,
        200,
        encoding === 'protobuf' ? ExportTraceServiceResponse.encode({}).finish() : '{}',
      );
    } catch (err) {
      return failure(err, encoding, c, deps.log);
    }
  };
  app.post('/otel/v1/traces', exportTraces);
  app.post('/v1/traces', exportTraces);
  return app;
}

function encodingOf(contentType: string | undefined): Encoding {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  throw new HttpError(
    415,
    `unsupported Content-Type ${JSON.stringify(contentType ?? '')}: OTLP/HTTP takes application/x-protobuf or application/json`,
  );
}

/** The `x-weft-project` header (authorised against the key), else the project of the caller's key. */
function projectOf(c: Context<AppEnv>): string {
  const header = c.req.header(PROJECT_HEADER);
  const principal = c.var.principal;
  if (header !== undefined && header.trim() !== '') {
    const project = checkProjectId(header.trim(), PROJECT_HEADER);
    authorizeProject(principal, project, `${PROJECT_HEADER} header`);
    return project;
  }
  if (principal.kind === 'key') return principal.projectId;
  throw new ValidationError(
    PROJECT_HEADER,
    'header is required: send the project the spans belong to ("entity/project"), or use an API key scoped to one project',
  );
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    throw new ValidationError('body', `malformed JSON: ${(err as Error).message}`);
  }
}

/** gRPC status codes of the HTTP statuses this route answers (google.rpc.Status.code). */
const GRPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 500: 13, 503: 14 };

function failure(err: unknown, encoding: Encoding, c: Context<AppEnv>, log: (m: string) => void): Response {
  // A failed store write may succeed later: 503 is one of the statuses OTLP exporters retry.
  const store = err instanceof StoreError;
  const { status, body } = store
    ? {
        status: 503 as const,
        body: { error: `the trace store could not write the spans, retry: ${err.message}` },
      }
    : errorToResponse(err);
  if (status === 500 || store) {
    log(
      `weft: POST ${c.req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  const code = GRPC_CODES[status] ?? 2;
  if (encoding === 'protobuf')
    return answer(encoding, status, RpcStatus.encode({ code, message: body.error }).finish());
  return answer(encoding, status, JSON.stringify({ code, message: body.error, ...body }));
}

function answer(encoding: Encoding, status: number, body: Uint8Array | string): Response {
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[encoding] };
  if (status === 503) headers['retry-after'] = '1';
  return new Response(body, { status, headers });
}
