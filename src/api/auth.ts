// Bearer-token authentication and role checks: agents submit/check/read their own actions, reviewers decide reviews, admin does all.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Role, TokenGrant } from '../config/index.ts';
import { forbidden, unauthorized } from './errors.ts';

export interface Principal {
  role: Role;
  /** Stable fingerprint of the token (never the token itself): owner of the actions it submits, and the reviewer's name. */
  id: string;
  /** The agent id an agent token is bound to (`token:agent:<agentId>`); null = unbound. */
  agentId: string | null;
}

export function tokenFingerprint(token: string): string {
  return `tok_${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

export function authenticate(grants: TokenGrant[]): RequestHandler {
  if (grants.length === 0) throw new Error('refusing to start the API without tokens (AIRLOCK_TOKENS)');
  const table = grants.map((g) => ({ digest: createHash('sha256').update(g.token).digest(), role: g.role, id: tokenFingerprint(g.token), agentId: g.agentId ?? null }));
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return next(unauthorized());
    const digest = createHash('sha256').update(m[1]!).digest();
    const hit = table.find((t) => timingSafeEqual(t.digest, digest));
    if (!hit) return next(unauthorized());
    res.locals.principal = { role: hit.role, id: hit.id, agentId: hit.agentId } satisfies Principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

/** A bound agent token may submit and check only as its own agent id (403 otherwise); unbound tokens and admin may use any. */
export function assertActsAs(p: Principal, agentId: string): void {
  if (p.role === 'agent' && p.agentId !== null && p.agentId !== agentId) {
    throw forbidden(`this token is bound to agent "${p.agentId}" and may not act as "${agentId}"`);
  }
}

/** Allows the listed roles (admin always). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (p.role === 'admin' || roles.includes(p.role)) return next();
    next(forbidden(`role "${p.role}" may not do this (needs ${[...roles, 'admin'].join(' or ')})`));
  };
}
