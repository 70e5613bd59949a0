// Reads a policy folder for the authoring commands: its Rego sources (tests included) and its data document, with data errors located.
import { readFile, stat } from 'node:fs/promises';
import { readPolicyData, readPolicySources } from '../../rego/index.ts';
import type { RegoError, SourceFile } from '../../rego/index.ts';
import { PolicyAuthoringError } from './errors.ts';
import { jsonErrorLocation } from './json-location.ts';

export interface PolicyFolder {
  sources: SourceFile[];
  /** The merged data.json documents (each at its folder's path); `{}` when the folder has none. */
  data: Record<string, unknown>;
  /** Problems in data.json files, located like compile errors. */
  dataErrors: RegoError[];
}

/** Every `.rego` file below `path` (a folder or one file), tests included, and the data document. */
export async function readPolicyFolder(path: string): Promise<PolicyFolder> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new PolicyAuthoringError('policy_dir_not_found', `${path}: no such file or folder`);
  const { rego, dataFiles } = await readPolicySources(path, true);
  const dataErrors = (await Promise.all(dataFiles.map(checkJsonFile))).flat();
  const data = dataErrors.length > 0 ? {} : await readPolicyData(path).catch((e: unknown) => {
    dataErrors.push({ code: 'rego_compile_error', message: errorText(e), loc: { file: path, line: 1, col: 1 } });
    return {};
  });
  return { sources: rego, data, dataErrors };
}

/** Reads a JSON document given with --input or --data; a clear error names the file. */
export async function readJsonFile(path: string, what: 'input' | 'data'): Promise<unknown> {
  const code = what === 'input' ? 'input_file_unreadable' : 'data_file_unreadable';
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new PolicyAuthoringError(code, `${path}: cannot read ${what} file: ${errorText(e)}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const at = jsonLocation(text);
    throw new PolicyAuthoringError(code, `${path}:${at.line}:${at.col}: ${what} file is not valid JSON: ${errorText(e)}`);
  }
}

async function checkJsonFile(path: string): Promise<RegoError[]> {
  const text = await readFile(path, 'utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return [{ code: 'rego_compile_error', message: 'a data.json file must hold a JSON object', loc: { file: path, line: 1, col: 1 } }];
    }
    return [];
  } catch (e) {
    const at = jsonLocation(text);
    return [{ code: 'rego_parse_error', message: `invalid JSON: ${errorText(e)}`, loc: { file: path, ...at } }];
  }
}

/** Where the JSON text breaks; the start of the file when the scanner and JSON.parse disagree. */
function jsonLocation(text: string): { line: number; col: number } {
  return jsonErrorLocation(text) ?? { line: 1, col: 1 };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
