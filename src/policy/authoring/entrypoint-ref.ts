// Turns a reference into data (`data.airlock.decision`) into the SDK's entrypoint name (`airlock/decision`).
import { PolicyAuthoringError } from './errors.ts';

/** `data.a.b["c.d"]` → `a/b/c.d` (the SDK's entrypoint name). */
export function entrypointOf(ref: string): string {
  const text = ref.trim();
  const m = /^data((?:\.[A-Za-z_][A-Za-z0-9_]*|\["(?:[^"\\]|\\.)*"\])+)$/.exec(text);
  if (!m) {
    throw new PolicyAuthoringError(
      'bad_reference',
      `${ref}: expected a reference into data such as data.airlock.decision (dots, or ["key"] for other keys)`,
    );
  }
  const parts: string[] = [];
  const segment = /\.([A-Za-z_][A-Za-z0-9_]*)|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const s of m[1]!.matchAll(segment)) parts.push(s[1] ?? (JSON.parse(s[2]!) as string));
  return parts.join('/');
}
