// Reads a policy folder for the authoring commands: its Rego sources (tests included) and its data document, with data errors located.
import { readFile, stat } from 'node:fs/promises';
import { readPolicyData, readPolicySources } from '../../rego/index.ts';
import type { RegoError, SourceFile } from '../../rego/index.ts';
import { PolicyAuthoringError } from './errors.ts';

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
    const at = jsonErrorLocation(text, errorText(e));
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
    const at = jsonErrorLocation(text, errorText(e));
    return [{ code: 'rego_parse_error', message: `invalid JSON: ${errorText(e)}`, loc: { file: path, ...at } }];
  }
}

/** Node's JSON.parse names an offset ("at position 12") or a line and column; turn either into line:col. */
function jsonErrorLocation(text: string, message: string): { line: number; col: number } {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), col: Number(lineCol[2]) };
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
