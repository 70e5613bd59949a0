// W3C Trace Context `traceparent`: parsing the agent's header, and deriving a child span per trace event so Airlock's trace joins the agent's.
import { createHash } from 'node:crypto';

export interface TraceParent {
  version: string;
  traceId: string;
  /** The span of the caller (the agent's request). */
  parentId: string;
  flags: string;
}

/** Where the API keeps the agent's header on the action (inside `context`, so it is stored with the action unchanged). */
export const TRACEPARENT_CONTEXT_KEY = 'traceparent';

const PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a `traceparent` header; null for anything invalid (version ff, all-zero ids, bad shape), as the spec says to ignore those. */
export function parseTraceParent(header: unknown): TraceParent | null {
  if (typeof header !== 'string') return null;
  const m = PATTERN.exec(header.trim().toLowerCase());
  if (!m) return null;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff') return null;
  if (version === '00' && rest !== undefined) return null; // version 00 has exactly four fields
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return null;
  return { version, traceId, parentId, flags };
}

export function formatTraceParent(tp: TraceParent): string {
  return `${tp.version}-${tp.traceId}-${tp.parentId}-${tp.flags}`;
}

/**
 * A stable child span for one event of one action: same trace id, a span id derived from (action id, event index), so
 * every read of the trace names the same spans. Version 00 is emitted whatever version came in (the only one we know).
 */
export function childTraceParent(parent: TraceParent, actionId: string, eventIndex: number): string {
  const spanId = createHash('sha256').update(`${parent.traceId}/${actionId}/${eventIndex}`).digest('hex').slice(0, 16);
  return formatTraceParent({ version: '00', traceId: parent.traceId, parentId: spanId === '0'.repeat(16) ? '0000000000000001' : spanId, flags: parent.flags });
}

/** The agent's traceparent as stored on an action (its context), or null. */
export function traceParentOfContext(context: Record<string, unknown> | null | undefined): TraceParent | null {
  return parseTraceParent(context?.[TRACEPARENT_CONTEXT_KEY]);
}
