/**
 * One error shape for every API answer that is not a success: protocol.ts apiErrorSchema
 * `{ error, message, details? }`. Route code throws HttpError; the app's error handler maps
 * HttpError, zod errors, Fastify's body/JSON errors and rate limiting onto it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, type ZodType } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Fields the answer carries at its top level besides error/message (e.g. 423 lockedUntil). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * PostgreSQL "data exception" codes (class 22: text it cannot store, a number out of range, a
 * malformed uuid). The shared schemas refuse such input first; this is the net under them, so a
 * value that slipped through is a 400 with a reason, never a 500.
 */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

export const notFound = (what = 'not found') => new HttpError(404, 'not_found', what);

/** Parse with a shared zod schema; a violation is 400 with the zod issues. */
export function parseBody<T>(schema: ZodType<T>, value: unknown, what = 'body'): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'invalid', `${what} does not match the schema`, r.error.issues);
  return r.data;
}

export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HttpError) {
    return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...err.extra, ...(err.details !== undefined ? { details: err.details } : {}) });
  }
  if (isDataException(err)) {
    req.log.warn({ err }, 'database refused a value the schemas let through');
    return reply.code(400).send({ error: 'invalid', message: 'a value cannot be stored (text with NUL or a lone surrogate, or a number out of range)' });
  }
  if (err instanceof ZodError) return reply.code(400).send({ error: 'invalid', message: 'request does not match the schema', details: err.issues });
  const fe = err as FastifyError;
  const status = fe.statusCode ?? 500;
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return reply.code(400).send({ error: 'bad_json', message: `malformed JSON: ${err.message}` });
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return reply.code(413).send({ error: 'too_large', message: err.message });
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return reply.code(415).send({ error: 'unsupported_media_type', message: err.message });
  if (status === 429) return reply.code(429).send({ error: 'rate_limited', message: err.message });
  if (status >= 400 && status < 500) return reply.code(status).send({ error: fe.code ?? 'bad_request', message: err.message });
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ error: 'internal', message: 'internal server error' });
}
