// Where a policy comes from: a folder of .rego files (compiled by Airlock), an OPA bundle .tar.gz, or a .wasm with a data.json beside it.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readBundle } from './bundle.ts';
import type { PolicyArtifact } from './compiled-policy.ts';
import { compilePolicyFolderIsolated } from './compile-isolated.ts';
import { PolicyLoadError } from './errors.ts';

export async function loadPolicyArtifact(path: string): Promise<PolicyArtifact> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new PolicyLoadError('policy_not_found', `policy path ${path} does not exist`);
  }
  if (info.isDirectory()) return compilePolicyFolderIsolated(path); // in a process of its own: see compile-isolated.ts
  const bytes = new Uint8Array(await readFile(path));
  if (path.endsWith('.tar.gz') || path.endsWith('.tgz')) return readBundle(bytes, path);
  if (path.endsWith('.wasm')) {
    let data: unknown = {};
    try {
      data = JSON.parse(await readFile(join(dirname(path), 'data.json'), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PolicyLoadError('policy_load_failed', `${dirname(path)}/data.json: ${(e as Error).message}`);
    }
    return { wasm: bytes, data, source: path };
  }
  throw new PolicyLoadError('policy_not_found', `${path}: expected a folder of .rego files, a .tar.gz bundle or a .wasm module`);
}
