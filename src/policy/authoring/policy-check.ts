// `airlock policy check`: compiles every package of a policy folder and returns every error, located.
import { compile } from '../../rego/index.ts';
import type { RegoError, SourceFile } from '../../rego/index.ts';
import { readPolicyFolder } from './policy-files.ts';
import { packageEntrypoint } from './test-discovery.ts';

export interface CheckOptions {
  /** Entrypoints to plan; default: every package of the folder, so that every rule is checked. */
  entrypoints?: string[];
}

export async function checkPolicyFolder(dir: string, opts: CheckOptions = {}): Promise<RegoError[]> {
  const folder = await readPolicyFolder(dir);
  const regoErrors = await checkSources(folder.sources, opts.entrypoints);
  return [...folder.dataErrors, ...regoErrors];
}

/** Compile errors of the sources; with no entrypoints given, each package is one. */
export async function checkSources(sources: SourceFile[], entrypoints?: string[]): Promise<RegoError[]> {
  if (sources.length === 0) return [];
  const planned = entrypoints ?? [...new Set(sources.map(packageEntrypoint).filter((p): p is string => p !== undefined))];
  if (planned.length === 0) {
    // No package line anywhere: the parser reports it; any entrypoint will do to reach it.
    return (await compile(sources, { entrypoints: ['_'] })).errors;
  }
  return (await compile(sources, { entrypoints: planned })).errors;
}
