// The planner's intermediate representation: the contract between `plan/` and `wasm/`.
//
// Modelled on OPA's internal/ir (read its docs for intuition): a policy is a set of
// plans (one per entrypoint) and functions (one per rule group / function), each made
// of blocks of statements. Locals are numbered slots holding a value (a pointer into
// the module's heap at run time) or "undefined".
//
// Execution semantics, which codegen must implement exactly:
// - A Block runs its statements in order. A statement that FAILS (the doc of each says
//   when) exits the innermost enclosing block immediately; execution continues after
//   that block, at the next block of the enclosing BlockStmt (or the next statement).
// - BlockStmt runs each of its blocks in turn (a failure in one does not stop the next).
// - BreakStmt{index} exits `index + 1` enclosing blocks: 0 exits the innermost block
//   (like a failure), 1 also exits the block around it, and so on. Blocks counted are
//   those of BlockStmt, ScanStmt bodies, NotStmt, WithStmt and the top blocks of a
//   function/plan.
// - Reaching the end of a function's blocks without ReturnLocalStmt returns the value of
//   the function's `result` local (undefined when never set).
// - Runtime errors (conflicts, strict builtin errors) abort evaluation via opa_abort with
//   a message; they are not failures.

import type { Location } from '../syntax/ast.ts';

/** A local slot. 0 is the input document, 1 is the data document in every plan and function. */
export type Local = number;
export const INPUT_LOCAL: Local = 0;
export const DATA_LOCAL: Local = 1;

export type Operand =
  | { kind: 'local'; local: Local }
  | { kind: 'bool'; value: boolean }
  /** An index into Policy.strings. */
  | { kind: 'string'; index: number };

export interface Policy {
  /** String constants referenced by Operand{kind:'string'} and MakeNumberRef. */
  strings: string[];
  /** Builtins the plan calls that are provided outside the module (SDK/caller): imported through opa_builtinN. */
  externalBuiltins: string[];
  plans: Plan[];
  funcs: Func[];
}

/** One entrypoint, named like OPA's (`airlock/decision`, `test/x`). Its blocks add results with ResultSetAddStmt. */
export interface Plan {
  name: string;
  blocks: Block[];
}

export interface Func {
  /** Unique name, e.g. `g0.data.airlock.decision`. */
  name: string;
  /** Parameter locals. params[0] is input, params[1] is data, then the function's arguments. */
  params: Local[];
  /** Local whose value is returned when the blocks end. */
  result: Local;
  blocks: Block[];
  /** The rule path this function computes (for debugging/dumps), e.g. ['data','airlock','decision']. */
  path: string[];
  /**
   * When true, the result for a given (input, data) is cached for the rest of the
   * evaluation (only for functions whose params are exactly [input, data]). The cache is
   * scoped: WithStmt opens a fresh cache scope for its block and restores the outer one after.
   */
  memoize: boolean;
}

export interface Block { stmts: Stmt[] }

export type Stmt =
  /** Return `source` from the function now. */
  | { op: 'return'; source: Local }
  /** target = func(args…); args are [input, data, ...]. Fails when the result is undefined. */
  | { op: 'call'; func: string; args: Operand[]; result: Local }
  /**
   * Call builtin `name` (OPA's name, e.g. "count", "time.now_ns"). Fails when the builtin's
   * result is undefined (including non-strict builtin errors such as a wrong type, as OPA does).
   * `loc` is where the call is written, for errors such as a builtin the runtime lacks.
   */
  | { op: 'callBuiltin'; name: string; args: Operand[]; result: Local; loc?: Location }
  /** Run `blocks` one after another (see semantics above). */
  | { op: 'block'; blocks: Block[] }
  | { op: 'break'; index: number }
  /** target = source[key]; fails when source is not a collection or key is absent. Works on arrays (number key), objects, sets (key itself). */
  | { op: 'dot'; source: Operand; key: Operand; target: Local }
  /** target = number of elements; fails when not a collection/string... (arrays, objects, sets only). */
  | { op: 'len'; source: Operand; target: Local }
  /**
   * For each element of the collection in `source` (array: index/value; object: key/value;
   * set: element/element), in the value order the runtime keeps, assign key and value and
   * run `block`. A failure inside the block only ends that iteration. Fails (does nothing)
   * when source is not a collection.
   */
  | { op: 'scan'; source: Local; key: Local; value: Local; block: Block }
  /** Runs block; if the block completes without failing, NotStmt FAILS; if it failed, continue. */
  | { op: 'not'; block: Block }
  | { op: 'assignInt'; value: number; target: Local }
  | { op: 'assignVar'; source: Operand; target: Local }
  /** If target is undefined, assign; if defined and equal, nothing; if different, runtime error (conflict: "functions must not produce multiple outputs for same inputs" / "complete rules must not produce multiple outputs"). `message` is the abort text. */
  | { op: 'assignVarOnce'; source: Operand; target: Local; message: string }
  /** Set target to undefined. */
  | { op: 'resetLocal'; target: Local }
  | { op: 'makeNull'; target: Local }
  | { op: 'makeNumberInt'; value: number; target: Local }
  /** A number from its literal text, held in Policy.strings[index]; exact (big integers and decimals). */
  | { op: 'makeNumberRef'; index: number; target: Local }
  | { op: 'makeArray'; capacity: number; target: Local }
  | { op: 'makeObject'; target: Local }
  | { op: 'makeSet'; target: Local }
  /** Fails unless a and b are equal by Rego's equality (1 == 1.0, sets/objects by content). */
  | { op: 'equal'; a: Operand; b: Operand }
  | { op: 'notEqual'; a: Operand; b: Operand }
  | { op: 'isArray'; source: Operand }
  | { op: 'isObject'; source: Operand }
  | { op: 'isSet'; source: Operand }
  | { op: 'isDefined'; source: Local }
  | { op: 'isUndefined'; source: Local }
  /** Appends in place (the array was made by this plan). */
  | { op: 'arrayAppend'; value: Operand; array: Local }
  /** Inserts or overwrites key in object (in place). */
  | { op: 'objectInsert'; key: Operand; value: Operand; object: Local }
  /** Inserts key; if present with a different value, runtime error `message` (object keys must be unique / conflict). */
  | { op: 'objectInsertOnce'; key: Operand; value: Operand; object: Local; message: string }
  /** target = deep merge of a and b (objects merged recursively; on a non-object conflict a wins). Fails if not both objects. */
  | { op: 'objectMerge'; a: Local; b: Local; target: Local }
  | { op: 'setAdd'; value: Operand; set: Local }
  /**
   * target = a copy of `local` with the value at `path` replaced by `value` (creating
   * intermediate objects); then run `block` with target in scope, in a fresh memo scope.
   * path elements are string constants (Policy.strings indexes).
   */
  | { op: 'with'; local: Local; path: number[]; value: Operand; target: Local; block: Block }
  /** Append {"result": value} to the plan's result set. Only in plans. */
  | { op: 'resultSetAdd'; value: Local }
  | { op: 'nop' };

/** Human-readable dump of a policy, for `--dump=ir` and for test failure messages. */
export function printPolicy(policy: Policy): string {
  const out: string[] = [];
  out.push(`strings: ${JSON.stringify(policy.strings)}`);
  if (policy.externalBuiltins.length) out.push(`external builtins: ${policy.externalBuiltins.join(', ')}`);
  for (const f of policy.funcs) {
    out.push(`func ${f.name}(${f.params.map((p) => `%${p}`).join(', ')}) -> %${f.result}${f.memoize ? ' memoize' : ''}  # ${f.path.join('.')}`);
    printBlocks(f.blocks, 1, out, policy);
  }
  for (const p of policy.plans) {
    out.push(`plan ${p.name}`);
    printBlocks(p.blocks, 1, out, policy);
  }
  return out.join('\n');
}

function printBlocks(blocks: Block[], depth: number, out: string[], policy: Policy): void {
  for (const b of blocks) {
    out.push(`${'  '.repeat(depth)}block`);
    for (const s of b.stmts) printStmt(s, depth + 1, out, policy);
  }
}

function operandText(o: Operand, policy: Policy): string {
  switch (o.kind) {
    case 'local':
      return `%${o.local}`;
    case 'bool':
      return String(o.value);
    case 'string':
      return JSON.stringify(policy.strings[o.index]);
  }
}

function printStmt(s: Stmt, depth: number, out: string[], policy: Policy): void {
  const pad = '  '.repeat(depth);
  const fields: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    if (k === 'op' || k === 'block' || k === 'blocks' || k === 'loc') continue;
    if (v && typeof v === 'object' && 'kind' in v) fields.push(`${k}=${operandText(v as Operand, policy)}`);
    else if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'kind' in x))
      fields.push(`${k}=(${(v as Operand[]).map((x) => operandText(x, policy)).join(', ')})`);
    else if (typeof v === 'number' && isLocalField(s.op, k)) fields.push(`${k}=%${v}`);
    else if (s.op === 'makeNumberRef' && k === 'index') fields.push(`number=${policy.strings[v as number]}`);
    else if (s.op === 'with' && k === 'path') fields.push(`path=${JSON.stringify((v as number[]).map((i) => policy.strings[i]))}`);
    else fields.push(`${k}=${JSON.stringify(v)}`);
  }
  out.push(`${pad}${s.op} ${fields.join(' ')}`);
  if ('block' in s) printBlocks([s.block], depth + 1, out, policy);
  if ('blocks' in s) printBlocks(s.blocks, depth + 1, out, policy);
}

/** Whether a numeric field of a statement names a local (`value` of makeNumberInt/assignInt is a literal). */
function isLocalField(op: Stmt['op'], field: string): boolean {
  if (field === 'value') return op !== 'makeNumberInt' && op !== 'assignInt';
  return ['target', 'source', 'result', 'array', 'object', 'set', 'local', 'key', 'a', 'b'].includes(field);
}
