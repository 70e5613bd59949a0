// The policy revision: a sha256 over the compiled module and its data, so any change to either is a new revision.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

export function policyRevision(wasm: Uint8Array, data: unknown): string {
  const h = createHash('sha256');
  h.update(wasm);
  h.update('\0');
  h.update(canonicalJson(data ?? {}));
  return h.digest('hex');
}
