// Test helper: compiles Rego through the public compile() and evaluates it with the official SDK.
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../../../../src/rego/index.ts';

export interface EvalOptions {
  data?: unknown;
  input?: unknown;
  regoVersion?: 0 | 1;
}

/** The result set of `entrypoint` for the given modules; fails the test on compile errors. */
export async function evaluate(sources: string[], entrypoint: string, opts: EvalOptions = {}): Promise<unknown[]> {
  const files = sources.map((text, i) => ({ path: `m${i}.rego`, text }));
  const out = await compile(files, { entrypoints: [entrypoint], regoVersion: opts.regoVersion ?? 1 });
  assert.deepEqual(out.errors, []);
  const policy = await loadPolicy(out.wasm!);
  policy.setData((opts.data ?? {}) as object);
  return policy.evaluate(opts.input, entrypoint) as unknown[];
}

/** The value of `entrypoint`, or undefined when it is undefined. */
export async function valueOf(sources: string[], entrypoint: string, opts: EvalOptions = {}): Promise<unknown> {
  const rs = (await evaluate(sources, entrypoint, opts)) as Array<{ result: unknown }>;
  return rs.length ? rs[0]!.result : undefined;
}
