// Loads a compiled module with the official opa-wasm SDK and evaluates one entrypoint: the only way Airlock runs Rego.
import { loadCompiledPolicy } from '../compiled-policy.ts';

/** The result of one entrypoint: `defined: false` when the SDK returns `[]`. */
export type EntrypointResult = { defined: true; value: unknown } | { defined: false };

export interface LoadedModule {
  evaluate(entrypoint: string, input: unknown): EntrypointResult;
}

export async function loadModule(wasm: Uint8Array, data: unknown, source: string): Promise<LoadedModule> {
  const policy = await loadCompiledPolicy({ wasm, data, source });
  return {
    evaluate(entrypoint, input) {
      const resultSet = policy.evaluate(input, entrypoint);
      if (!Array.isArray(resultSet) || resultSet.length === 0) return { defined: false };
      const first: unknown = resultSet[0];
      if (first === null || typeof first !== 'object' || !('result' in first)) return { defined: false };
      return { defined: true, value: (first as { result: unknown }).result };
    },
  };
}

/** opa-wasm throws strings as well as Errors. */
export function thrownText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
