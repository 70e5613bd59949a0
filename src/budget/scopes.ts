// Budget scope names (`workflow:<id>`, `agent:<id>`, `tenant:<id>`, `global`): parsing and which apply to an action.
import { InvalidScopeError } from './errors.ts';

export const SCOPE_KINDS = ['workflow', 'agent', 'tenant', 'global'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

// Ids are kept to a safe character set: they become part of Redis keys and metric-free log lines.
const SCOPE_ID = /^[A-Za-z0-9._@\-]{1,128}$/;

/** The kind of a scope name, or InvalidScopeError. */
export function scopeKind(scope: string): ScopeKind {
  if (scope === 'global') return 'global';
  const colon = scope.indexOf(':');
  if (colon > 0) {
    const kind = scope.slice(0, colon);
    const id = scope.slice(colon + 1);
    if ((kind === 'workflow' || kind === 'agent' || kind === 'tenant') && SCOPE_ID.test(id)) return kind;
  }
  throw new InvalidScopeError(scope);
}

export function isValidScope(scope: string): boolean {
  try {
    scopeKind(scope);
    return true;
  } catch {
    return false;
  }
}

/** Every scope that applies to an action, most specific first: workflow, agent, tenant (if any), global. */
export function scopesFor(a: { agentId: string; workflowId: string; tenant: string | null }): string[] {
  const scopes = [`workflow:${a.workflowId}`, `agent:${a.agentId}`];
  if (a.tenant) scopes.push(`tenant:${a.tenant}`);
  scopes.push('global');
  for (const s of scopes) scopeKind(s);
  return scopes;
}
