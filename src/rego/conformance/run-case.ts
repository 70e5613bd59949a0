// Runs one conformance case: compile its modules with the query as entrypoint, evaluate through the official SDK, compare.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile, entrypointForRef, formatRegoError } from '../index.ts';
import { parseBody } from '../syntax/parser.ts';
import { hostBuiltins } from '../host-builtins.ts';
import { EXPECT_ERROR, ProjectionError, UNDEFINED, jsonEqual, regoLiteral, toJsonProjection, type RegoValue, type ConformanceCase, type Expected } from './cases.ts';

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseOutcome {
  status: CaseStatus;
  /** Why it failed or was skipped. */
  detail?: string;
  compileMs?: number;
}

const QUERY_PACKAGE = 'airlock_conformance_query';
const SKIP_PREFIX = 'skip: ';

/** Compile and evaluate one case; never throws. */
export async function runCase(c: ConformanceCase): Promise<CaseOutcome> {
  if (c.skip) return { status: 'skip', detail: 'skip: true in the case file' };
  const expectsError = c.expect.every((e) => e === EXPECT_ERROR);

  const files = c.modules.map((text, i) => ({ path: `${c.file}#${c.note}/module${i}.rego`, text }));
  let entrypoint: string;
  if (/^data(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(c.query.trim())) {
    entrypoint = entrypointForRef(c.query);
  } else {
    // An expression query (`data.x == 1`): its value, as the case files' engine reports it
    // (a comparison yields true or false; a failed unification leaves it undefined).
    // Several expressions (`a; b`) or a unification (`x = 1`) form a body: true when it holds.
    // Its result is then the object of the variables it binds (`x := split(a, b)` → {"x": …}),
    // or true when it binds none.
    const exprs = c.query.split(';').map((e) => e.trim());
    const bound = queryVars(c.query);
    const isBody = exprs.length > 1 || bound.length > 0 || /(^|[^=!<>:])=($|[^=])/.test(c.query);
    const value = bound.length ? `{${bound.map((v) => `"${v}": ${v}`).join(', ')}}` : 'true';
    const rule = isBody ? `q := ${value} if {\n${exprs.join('\n')}\n}` : `q := ${c.query}`;
    files.push({ path: `${c.file}#${c.note}/query.rego`, text: `package ${QUERY_PACKAGE}\nimport rego.v1\n${rule}\n` });
    entrypoint = `${QUERY_PACKAGE}/q`;
  }

  const t0 = performance.now();
  let compiled;
  try {
    compiled = await compile(files, { entrypoints: [entrypoint], regoVersion: c.regoVersion });
  } catch (e) {
    return { status: 'fail', detail: `compiler crashed: ${(e as Error).stack ?? String(e)}` };
  }
  const compileMs = performance.now() - t0;
  if (compiled.errors.length > 0 || !compiled.wasm) {
    if (expectsError) return { status: 'pass', compileMs };
    const first = compiled.errors.slice(0, 3).map(formatRegoError).join(' | ');
    return { status: 'fail', detail: `compile error: ${first || 'no module produced'}`, compileMs };
  }

  let policy;
  try {
    policy = await loadPolicy(compiled.wasm, undefined, hostBuiltins());
    policy.setData(c.data as object);
  } catch (e) {
    return { status: 'fail', detail: `SDK could not load the module: ${describe(e)}`, compileMs };
  }

  for (let i = 0; i < c.inputs.length; i++) {
    const want = c.expect[i] ?? c.expect[0]!;
    const prints: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => prints.push(args.map(String).join(' '));
    let resultSet: unknown;
    let thrown: unknown;
    try {
      resultSet = policy.evaluate(c.inputs[i], entrypoint);
    } catch (e) {
      thrown = e;
    } finally {
      console.log = log;
    }
    const label = c.inputs.length > 1 ? ` (input #${i})` : '';
    if (want === EXPECT_ERROR) {
      if (thrown === undefined) return { status: 'fail', detail: `expected an error${label}, got ${JSON.stringify(resultSet)}`, compileMs };
      continue;
    }
    if (thrown !== undefined) return { status: 'fail', detail: `evaluation error${label}: ${describe(thrown)}`, compileMs };
    const mismatch = compareResult(resultSet, want);
    if (mismatch?.startsWith(SKIP_PREFIX)) {
      // JSON cannot carry this expectation (two keys with one JSON text): compare with Rego's own equality instead,
      // by compiling `<query> == <expected literal>` next to the case's modules.
      const verdict = await compareInRego(c, files, entrypoint, i, want as RegoValue);
      if (verdict === 'equal') continue;
      return verdict === 'different'
        ? { status: 'fail', detail: `not equal to the expected value under Rego equality${label}`, compileMs }
        : { status: 'skip', detail: `${mismatch.slice(SKIP_PREFIX.length)}; Rego comparison unavailable: ${verdict}`, compileMs };
    }
    if (mismatch) return { status: 'fail', detail: `${mismatch}${label}`, compileMs };
    if (c.wantPrints && i === 0) {
      const got = prints.join('\n').split('\n');
      const exp = c.wantPrints.join('\n').split('\n');
      if (JSON.stringify(got) !== JSON.stringify(exp)) {
        return { status: 'fail', detail: `prints differ: want ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`, compileMs };
      }
    }
  }
  return { status: 'pass', compileMs };
}

const EXPECT_PACKAGE = 'airlock_conformance_expect';

/** Evaluates `result == expected` inside a module built from the case's own files; 'equal', 'different', or why it could not. */
async function compareInRego(
  c: ConformanceCase,
  files: Array<{ path: string; text: string }>,
  entrypoint: string,
  inputIndex: number,
  want: RegoValue,
): Promise<'equal' | 'different' | string> {
  const ref = entrypoint === '' ? 'data' : `data.${entrypoint.split('/').join('.')}`;
  const text = `package ${EXPECT_PACKAGE}\nimport rego.v1\nsame := ${ref} == ${regoLiteral(want)}\n`;
  const compiled = await compile([...files, { path: `${c.file}#${c.note}/expect.rego`, text }], {
    entrypoints: [`${EXPECT_PACKAGE}/same`],
    regoVersion: c.regoVersion,
  });
  if (!compiled.wasm) return compiled.errors.slice(0, 2).map(formatRegoError).join(' | ') || 'no module';
  const policy = await loadPolicy(compiled.wasm, undefined, hostBuiltins());
  policy.setData(c.data as object);
  const rs = policy.evaluate(c.inputs[inputIndex], `${EXPECT_PACKAGE}/same`) as Array<{ result?: unknown }>;
  return rs[0]?.result === true ? 'equal' : 'different';
}

/** The variables a query body binds (not wildcards, not `data`/`input`), in order of appearance. */
function queryVars(query: string): string[] {
  const parsed = parseBody('<query>', query, { regoVersion: 1 });
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; name?: string; wildcard?: boolean; operator?: unknown };
    if (n.type === 'var' && !n.wildcard && n.name && n.name !== 'data' && n.name !== 'input' && !names.includes(n.name)) names.push(n.name);
    for (const [k, v] of Object.entries(node)) if (k !== 'loc' && k !== 'operator') visit(v);
  };
  visit(parsed.body ?? []);
  return names;
}

function compareResult(resultSet: unknown, want: Expected): string | undefined {
  if (!Array.isArray(resultSet)) return `SDK returned a non-array result set: ${JSON.stringify(resultSet)}`;
  if (want === UNDEFINED) {
    return resultSet.length === 0 ? undefined : `expected undefined, got ${JSON.stringify(resultSet)}`;
  }
  if (resultSet.length !== 1) return `expected one result, got ${JSON.stringify(resultSet)}`;
  const got = (resultSet[0] as { result?: unknown }).result;
  let exp: unknown;
  try {
    exp = toJsonProjection(want);
  } catch (e) {
    if (e instanceof ProjectionError) return `${SKIP_PREFIX}the expected value cannot survive OPA's JSON projection: ${e.message}`;
    throw e;
  }
  return jsonEqual(got, exp) ? undefined : `want ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`;
}

function describe(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
