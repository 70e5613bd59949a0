// A compiled policy module loaded with the official opa-wasm SDK, with its data set and its revision computed.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../rego/host-builtins.ts';
import { PolicyLoadError } from './errors.ts';
import { policyRevision } from './revision.ts';

const utf8 = new TextEncoder();

export interface PolicyArtifact {
  wasm: Uint8Array;
  data: unknown;
  /** Where it came from, for logs and /readyz. */
  source: string;
}

export interface CompiledPolicy {
  readonly revision: string;
  readonly data: unknown;
  readonly source: string;
  /** Raw opa-wasm result set for an entrypoint; throws whatever the module or SDK throws. `inputJson` = `input` already serialized. */
  evaluate(input: unknown, entrypoint: string, inputJson?: string): unknown;
}

export async function loadCompiledPolicy(artifact: PolicyArtifact): Promise<CompiledPolicy> {
  let policy: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    // Copy into a fresh ArrayBuffer: the SDK wants a BufferSource it can own.
    const bytes = new Uint8Array(artifact.wasm.byteLength);
    bytes.set(artifact.wasm);
    policy = await loadPolicy(bytes.buffer, { initial: 5, maximum: 1024 }, hostBuiltins());
    policy.setData((artifact.data ?? {}) as object);
  } catch (e) {
    throw new PolicyLoadError('policy_load_failed', `opa-wasm could not load ${artifact.source}: ${errorText(e)}`);
  }
  const revision = policyRevision(artifact.wasm, artifact.data ?? {});
  return {
    revision,
    data: artifact.data ?? {},
    source: artifact.source,
    // The SDK takes an ArrayBuffer as well-formed JSON: an input serialized once serves the policy and the trace.
    evaluate: (input, entrypoint, inputJson) => policy.evaluate(inputJson === undefined ? input : utf8.encode(inputJson).buffer, entrypoint),
  };
}

/** opa-wasm throws strings as well as Errors. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
