// Typed errors of tools: registry problems and executor failures classified as transient (retried) or permanent.
import type { AttemptRecord } from '../trace/events.ts';

export type ToolErrorKind = NonNullable<AttemptRecord['errorKind']>;
const TRANSIENT: ReadonlySet<ToolErrorKind> = new Set(['network', 'timeout', 'http_5xx', 'http_429']);

export class ToolCallError extends Error {
  readonly code = 'tool_call_failed';
  constructor(readonly kind: ToolErrorKind, message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'ToolCallError';
  }
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

export class ToolRegistryError extends Error {
  readonly code = 'tool_registry_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ToolRegistryError';
  }
}
