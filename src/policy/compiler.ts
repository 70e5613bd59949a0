// Compiling a policy folder with Airlock's own Rego → WebAssembly compiler (src/rego), reporting its errors as one PolicyLoadError.
import { PolicyLoadError } from './errors.ts';
import type { PolicyArtifact } from './compiled-policy.ts';
import { DECISION_ENTRYPOINT } from './decision.ts';

/** The part of src/rego/index.ts that policy loading uses. */
interface RegoCompilerApi {
  compilePolicyDir(dir: string, opts: { entrypoints: string[] }): Promise<{ wasm?: Uint8Array; data: unknown; errors: unknown[] }>;
  formatRegoError(e: never): string;
}

let compilerModule: Promise<RegoCompilerApi> | null = null;

/** Loaded lazily so that processes which only read bundles never load the compiler. */
function regoCompiler(): Promise<RegoCompilerApi> {
  compilerModule ??= import(new URL('../rego/index.ts', import.meta.url).href) as Promise<RegoCompilerApi>;
  return compilerModule;
}

export async function compilePolicyFolder(dir: string, entrypoints: string[] = [DECISION_ENTRYPOINT]): Promise<PolicyArtifact> {
  let rego: RegoCompilerApi;
  try {
    rego = await regoCompiler();
  } catch (e) {
    compilerModule = null;
    throw new PolicyLoadError('policy_compile_failed', `the Rego compiler (src/rego/index.ts) could not be loaded: ${(e as Error).message}`);
  }
  let out: Awaited<ReturnType<RegoCompilerApi['compilePolicyDir']>>;
  try {
    out = await rego.compilePolicyDir(dir, { entrypoints });
  } catch (e) {
    throw new PolicyLoadError('policy_compile_failed', `compiling ${dir} crashed: ${(e as Error).stack ?? String(e)}`);
  }
  if (out.errors.length > 0 || !out.wasm) {
    const details = out.errors.map((err) => rego.formatRegoError(err as never));
    throw new PolicyLoadError('policy_compile_failed', `${dir}: ${details.length || 'no'} compile error(s)${details[0] ? `, first: ${details[0]}` : ''}`, details);
  }
  return { wasm: out.wasm, data: out.data ?? {}, source: dir };
}
