// The one place where failures become HTTP: typed API errors, domain errors and body-parser errors → {"error": {code, message, details}}.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ActionNotFoundError, IdempotencyConflictError, ReviewConflictError, ReviewNotFoundError, StateUnavailableError } from '../pipeline/errors.ts';
import { BudgetError } from '../budget/errors.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ValidationError extends ApiError {
  constructor(where: 'body' | 'query' | 'params', err: z.ZodError) {
    const details = err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
    super(400, 'invalid_request', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
    this.name = 'ValidationError';
  }
}

export const unauthorized = (message = 'missing or unknown bearer token') => new ApiError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'rate_limited', 'too many requests for this token', { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });

/** Parses with a zod schema or throws a ValidationError naming every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(where, r.error);
  return r.data;
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route_not_found', `no route ${req.method} ${req.path}`));
};

const BUDGET_STATUS: Record<BudgetError['code'], number> = {
  budget_invalid_input: 400,
  budget_invalid_scope: 400,
  budget_config_invalid: 500,
  budget_unavailable: 503,
};

/** Maps a thrown value to status, code, message, details. */
export function toHttpError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ActionNotFoundError) return new ApiError(404, err.code, err.message);
  if (err instanceof ReviewNotFoundError) return new ApiError(404, err.code, err.message);
  if (err instanceof ReviewConflictError) return new ApiError(409, err.code, err.message, { status: err.status });
  if (err instanceof IdempotencyConflictError) return new ApiError(409, err.code, err.message, [{ path: 'body.idempotencyKey', message: err.message }]);
  if (err instanceof StateUnavailableError) return new ApiError(503, err.code, err.message);
  if (err instanceof BudgetError) return new ApiError(BUDGET_STATUS[err.code], err.code, err.message);
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e?.type === 'entity.too.large') return new ApiError(413, 'body_too_large', `request body exceeds ${e.limit ?? 'the'} bytes limit`);
  if (e?.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', `request body is not valid JSON: ${e.message ?? ''}`);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new ApiError(415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new ApiError(e.status, 'bad_request', e.message ?? 'bad request');
  const msg = (err as Error)?.message ?? '';
  if (/ECONNREFUSED|Connection is closed|MaxRetriesPerRequest|Stream isn't writeable|ETIMEDOUT/i.test(msg)) {
    return new ApiError(503, 'state_unavailable', 'Redis is unreachable; nothing was decided or executed');
  }
  return new ApiError(500, 'internal_error', 'internal error');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const http = toHttpError(err);
    if (http.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    for (const [k, v] of Object.entries(http.headers)) res.setHeader(k, v);
    res.status(http.status).json({ error: { code: http.code, message: http.message, ...(http.details !== undefined ? { details: http.details } : {}) } });
  };
}
