// `airlock policy eval`: compiles a policy folder with one reference as entrypoint and evaluates it through the SDK.
import { compile } from '../../rego/index.ts';
import type { RegoError } from '../../rego/index.ts';
import { entrypointOf } from './entrypoint-ref.ts';
import { PolicyAuthoringError } from './errors.ts';
import { readJsonFile, readPolicyFolder } from './policy-files.ts';
import { loadModule } from './sdk-policy.ts';
import type { EntrypointResult } from './sdk-policy.ts';

export interface EvalRequest {
  dir: string;
  /** A reference such as `data.airlock.decision` or `data.airlock["decision"]`. */
  ref: string;
  /** Path of a JSON input document; no input when absent. */
  inputFile?: string;
  /** Path of a JSON data document merged over the folder's data.json. */
  dataFile?: string;
}

export type EvalOutcome = { errors: RegoError[] } | { errors: []; result: EntrypointResult };

export async function evalPolicyRef(req: EvalRequest): Promise<EvalOutcome> {
  const entrypoint = entrypointOf(req.ref);
  const folder = await readPolicyFolder(req.dir);
  const input = req.inputFile === undefined ? undefined : await readJsonFile(req.inputFile, 'input');
  const extraData = req.dataFile === undefined ? undefined : await readJsonFile(req.dataFile, 'data');
  if (extraData !== undefined && (extraData === null || typeof extraData !== 'object' || Array.isArray(extraData))) {
    throw new PolicyAuthoringError('data_file_unreadable', `${req.dataFile}: a data file must hold a JSON object`);
  }
  if (folder.dataErrors.length > 0) return { errors: folder.dataErrors };
  const compiled = await compile(folder.sources, { entrypoints: [entrypoint] });
  if (compiled.errors.length > 0 || !compiled.wasm) return { errors: compiled.errors };
  const data = extraData === undefined ? folder.data : mergeObjects(folder.data, extraData as Record<string, unknown>);
  const module = await loadModule(compiled.wasm, data, req.dir);
  return { errors: [], result: module.evaluate(entrypoint, input) };
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? mergeObjects(cur, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
