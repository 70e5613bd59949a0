// Per-token rate limiting with a token bucket (refill = the configured rate per second, burst = two seconds' worth).
import type { RequestHandler } from 'express';
import { principalOf } from './auth.ts';
import { rateLimited } from './errors.ts';

export function rateLimit(perSecond: number, clock: () => number = Date.now): RequestHandler {
  const burst = perSecond * 2;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (_req, res, next) => {
    const key = principalOf(res).id;
    const now = clock();
    const b = buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(key, b);
      return next(rateLimited(Math.max(1, Math.ceil((1 - b.tokens) / perSecond))));
    }
    b.tokens -= 1;
    buckets.set(key, b);
    next();
  };
}
