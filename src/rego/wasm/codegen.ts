// Lowers the planner's IR (plan/ir.ts) into binaryen functions that call the runtime's rt_* and builtin_* exports.
import binaryen from 'binaryen';
import type { Block, Func, Local, Operand, Plan, Policy, Stmt } from '../plan/ir.ts';
import type { StaticData } from './static-data.ts';

type Module = binaryen.Module;
type Expr = binaryen.ExpressionRef;

const i32 = binaryen.i32;

/** A problem found while generating code (turned into RegoErrors by index.ts). */
export class CodegenError extends Error {
  constructor(
    readonly code: 'rego_unknown_builtin' | 'rego_compile_error',
    message: string,
  ) {
    super(message);
  }
}

/** What codegen needs from the runtime module: internal names of its exports. */
export interface RuntimeSymbols {
  /** export name → internal function name */
  funcs: Map<string, string>;
  /** internal name of the opa_abort import */
  abort: string;
}

// Type tags (runtime/value.ts).
const T_ARRAY = 5;
const T_OBJECT = 6;
const T_SET = 7;
const MEMO_MISS = -1;

interface Label {
  name: string;
  /** For a `with` block: the wasm local holding the memo scope to restore. */
  savedScope?: number;
}

/** Emits every function of the policy plus `eval_plan`; returns the internal name of eval_plan. */
export class PolicyCodegen {
  private readonly funcNames = new Map<string, string>();
  private readonly memoIndex = new Map<string, number>();
  private readonly externalIds = new Map<string, number>();
  private readonly imported = new Set<number>();
  readonly generated: string[] = [];
  private labelCounter = 0;

  constructor(
    private readonly mod: Module,
    private readonly policy: Policy,
    private readonly rt: RuntimeSymbols,
    private readonly statics: StaticData,
  ) {
    policy.externalBuiltins.forEach((name, i) => this.externalIds.set(name, i));
    policy.funcs.forEach((f, i) => {
      this.funcNames.set(f.name, `policy/f${i}`);
      if (f.memoize && f.params.length === 2) this.memoIndex.set(f.name, this.memoIndex.size);
    });
  }

  /** The `builtins` map: external builtin name → id. */
  builtinIds(): Record<string, number> {
    return Object.fromEntries(this.externalIds);
  }

  emitAll(evalPlanName: string): void {
    this.policy.funcs.forEach((f) => this.emitFunc(f));
    const planNames = this.policy.plans.map((p, i) => this.emitPlan(p, i));
    this.emitEvalPlan(evalPlanName, planNames);
  }

  // ------------------------------------------------------------ functions and plans

  private emitFunc(f: Func): void {
    const name = this.funcNames.get(f.name)!;
    const fn = new FnBuilder(f.params);
    const body = this.blocksBody(fn, f.blocks);
    const stmts: Expr[] = [...body, this.mod.return(this.get(fn, f.result))];
    const memo = this.memoIndex.get(f.name);
    const implName = memo === undefined ? name : `${name}/impl`;
    this.addFunction(implName, f.params.length, fn, this.mod.block(null, stmts, i32));
    if (memo !== undefined) this.emitMemoWrapper(name, implName, memo);
  }

  /** f(input, data): cached per evaluation and memo scope. */
  private emitMemoWrapper(name: string, implName: string, memo: number): void {
    const m = this.mod;
    const v = 2;
    const body = m.block(null, [
      m.local.set(v, m.call(this.rtf('rt_memo_get'), [m.i32.const(memo)], i32)),
      m.if(m.i32.ne(m.local.get(v, i32), m.i32.const(MEMO_MISS)), m.return(m.local.get(v, i32))),
      m.local.set(v, m.call(implName, [m.local.get(0, i32), m.local.get(1, i32)], i32)),
      m.call(this.rtf('rt_memo_set'), [m.i32.const(memo), m.local.get(v, i32)], binaryen.none),
      m.return(m.local.get(v, i32)),
    ], i32);
    m.addFunction(name, binaryen.createType([i32, i32]), i32, [i32], body);
    this.generated.push(name);
  }

  private emitPlan(p: Plan, i: number): string {
    const name = `policy/plan${i}`;
    const fn = new FnBuilder([0, 1]);
    fn.resultSet = fn.scratch();
    const m = this.mod;
    const stmts: Expr[] = [
      m.local.set(fn.resultSet, m.call(this.rtf('rt_make_set'), [], i32)),
      ...this.blocksBody(fn, p.blocks),
      m.return(m.local.get(fn.resultSet, i32)),
    ];
    this.addFunction(name, 2, fn, m.block(null, stmts, i32));
    return name;
  }

  private emitEvalPlan(name: string, plans: string[]): void {
    const m = this.mod;
    const stmts: Expr[] = [m.call(this.rtf('rt_memo_init'), [m.i32.const(this.memoIndex.size)], binaryen.none)];
    plans.forEach((plan, id) => {
      stmts.push(m.if(m.i32.eq(m.local.get(0, i32), m.i32.const(id)),
        m.return(m.call(plan, [m.local.get(1, i32), m.local.get(2, i32)], i32))));
    });
    stmts.push(this.abort('invalid entrypoint id'));
    m.addFunction(name, binaryen.createType([i32, i32, i32]), i32, [], m.block(null, stmts, i32));
    this.generated.push(name);
  }

  private addFunction(name: string, nparams: number, fn: FnBuilder, body: Expr): void {
    const params = binaryen.createType(new Array(nparams).fill(i32));
    this.mod.addFunction(name, params, i32, new Array(fn.count - nparams).fill(i32), body);
    this.generated.push(name);
  }

  // ------------------------------------------------------------ blocks and statements

  /** Top blocks of a function/plan: each is a counted block. */
  private blocksBody(fn: FnBuilder, blocks: Block[]): Expr[] {
    return blocks.map((b) => this.countedBlock(fn, b));
  }

  private countedBlock(fn: FnBuilder, b: Block, savedScope?: number): Expr {
    const label: Label = { name: `L${this.labelCounter++}`, savedScope };
    fn.labels.push(label);
    const stmts = b.stmts.map((s) => this.stmt(fn, s));
    fn.labels.pop();
    return this.mod.block(label.name, stmts.length ? stmts : [this.mod.nop()], binaryen.none);
  }

  /** Exit the innermost counted block (a failing statement). */
  private fail(fn: FnBuilder): Expr {
    return this.breakOut(fn, 0);
  }

  /** Exit `index + 1` counted blocks, restoring memo scopes of `with` blocks jumped over. */
  private breakOut(fn: FnBuilder, index: number): Expr {
    const target = fn.labels.length - 1 - index;
    if (target < 0) throw new CodegenError('rego_compile_error', `break ${index} has no enclosing block`);
    const label = fn.labels[target]!;
    let restore: number | undefined;
    for (let i = fn.labels.length - 1; i > target; i--) {
      const saved = fn.labels[i]!.savedScope;
      if (saved !== undefined) restore = saved;
    }
    if (restore === undefined) return this.mod.br(label.name);
    return this.mod.block(null, [
      this.mod.call(this.rtf('rt_memo_pop'), [this.mod.local.get(restore, i32)], binaryen.none),
      this.mod.br(label.name),
    ]);
  }

  private failIf(fn: FnBuilder, cond: Expr): Expr {
    return this.mod.if(cond, this.fail(fn));
  }

  private stmt(fn: FnBuilder, s: Stmt): Expr {
    const m = this.mod;
    switch (s.op) {
      case 'return':
        return m.return(this.get(fn, s.source));
      case 'call': {
        const target = this.funcNames.get(s.func);
        if (!target) throw new CodegenError('rego_compile_error', `call of unknown function ${s.func}`);
        const call = m.call(target, s.args.map((a) => this.operand(fn, a)), i32);
        return this.setOrFail(fn, s.result, call);
      }
      case 'callBuiltin': {
        // A builtin call with an undefined argument is undefined (builtins assume defined values).
        const guards = s.args.filter((a) => a.kind === 'local').map((a) => this.failIf(fn, m.i32.eqz(this.operand(fn, a))));
        const call = this.setOrFail(fn, s.result, this.builtinCall(fn, s.name, s.args));
        return guards.length ? m.block(null, [...guards, call]) : call;
      }
      case 'block':
        return m.block(null, s.blocks.length ? s.blocks.map((b) => this.countedBlock(fn, b)) : [m.nop()]);
      case 'break':
        return this.breakOut(fn, s.index);
      case 'dot':
        return this.setOrFail(fn, s.target, m.call(this.rtf('rt_dot'), [this.operand(fn, s.source), this.operand(fn, s.key)], i32));
      case 'len':
        return this.setOrFail(fn, s.target, m.call(this.rtf('rt_len'), [this.operand(fn, s.source)], i32));
      case 'scan':
        return this.scan(fn, s.source, s.key, s.value, s.block);
      case 'not': {
        // The inner block succeeding makes the not statement fail (exit the block around it).
        const failOuter = this.fail(fn);
        const inner = this.countedBlock(fn, s.block);
        return m.block(null, [this.appendToBlock(inner, failOuter)]);
      }
      case 'assignInt':
        return this.set(fn, s.target, m.i32.const(this.statics.int(BigInt(s.value))));
      case 'assignVar':
        return this.set(fn, s.target, this.operand(fn, s.source));
      case 'assignVarOnce': {
        const tmp = fn.scratch();
        const t = fn.local(s.target);
        return m.block(null, [
          m.local.set(tmp, this.operand(fn, s.source)),
          m.if(m.i32.eqz(m.local.get(t, i32)),
            m.local.set(t, m.local.get(tmp, i32)),
            m.if(m.i32.eqz(m.call(this.rtf('rt_equal'), [m.local.get(t, i32), m.local.get(tmp, i32)], i32)), this.abort(s.message))),
        ]);
      }
      case 'resetLocal':
        return this.set(fn, s.target, m.i32.const(0));
      case 'makeNull':
        return this.set(fn, s.target, m.i32.const(this.statics.null()));
      case 'makeNumberInt':
        return this.set(fn, s.target, m.i32.const(this.statics.int(BigInt(s.value))));
      case 'makeNumberRef': {
        const text = this.policy.strings[s.index];
        const addr = text === undefined ? undefined : this.statics.number(text);
        if (addr === undefined) throw new CodegenError('rego_compile_error', `invalid number literal ${JSON.stringify(text)}`);
        return this.set(fn, s.target, m.i32.const(addr));
      }
      case 'makeArray':
        return this.set(fn, s.target, m.call(this.rtf('rt_make_array'), [m.i32.const(s.capacity)], i32));
      case 'makeObject':
        return this.set(fn, s.target, m.call(this.rtf('rt_make_object'), [], i32));
      case 'makeSet':
        return this.set(fn, s.target, m.call(this.rtf('rt_make_set'), [], i32));
      case 'equal':
        return this.failIf(fn, m.i32.eqz(m.call(this.rtf('rt_equal'), [this.operand(fn, s.a), this.operand(fn, s.b)], i32)));
      case 'notEqual':
        return this.failIf(fn, m.i32.eqz(m.call(this.rtf('rt_not_equal'), [this.operand(fn, s.a), this.operand(fn, s.b)], i32)));
      case 'isArray':
        return this.typeCheck(fn, s.source, T_ARRAY);
      case 'isObject':
        return this.typeCheck(fn, s.source, T_OBJECT);
      case 'isSet':
        return this.typeCheck(fn, s.source, T_SET);
      case 'isDefined':
        return this.failIf(fn, m.i32.eqz(this.get(fn, s.source)));
      case 'isUndefined':
        return this.failIf(fn, m.i32.ne(this.get(fn, s.source), m.i32.const(0)));
      case 'arrayAppend':
        return m.call(this.rtf('rt_array_append'), [this.get(fn, s.array), this.operand(fn, s.value)], binaryen.none);
      case 'objectInsert':
        return m.call(this.rtf('rt_object_insert'), [this.get(fn, s.object), this.operand(fn, s.key), this.operand(fn, s.value)], binaryen.none);
      case 'objectInsertOnce':
        return m.if(m.call(this.rtf('rt_object_insert_once'), [this.get(fn, s.object), this.operand(fn, s.key), this.operand(fn, s.value)], i32),
          this.abort(s.message));
      case 'objectMerge':
        return this.setOrFail(fn, s.target, m.call(this.rtf('rt_object_merge'), [this.get(fn, s.a), this.get(fn, s.b)], i32));
      case 'setAdd':
        return m.call(this.rtf('rt_set_add'), [this.get(fn, s.set), this.operand(fn, s.value)], binaryen.none);
      case 'with': {
        const path = s.path.map((i) => {
          const p = this.policy.strings[i];
          if (p === undefined) throw new CodegenError('rego_compile_error', `with path refers to missing string ${i}`);
          return p;
        });
        const saved = fn.scratch();
        const value = this.operand(fn, s.value);
        return m.block(null, [
          this.set(fn, s.target, m.call(this.rtf('rt_upsert'), [this.get(fn, s.local), m.i32.const(this.statics.stringArray(path)), value], i32)),
          m.local.set(saved, m.call(this.rtf('rt_memo_push'), [], i32)),
          this.countedBlock(fn, s.block, saved),
          m.call(this.rtf('rt_memo_pop'), [m.local.get(saved, i32)], binaryen.none),
        ]);
      }
      case 'resultSetAdd':
        if (fn.resultSet === undefined) throw new CodegenError('rego_compile_error', 'resultSetAdd outside a plan');
        return m.call(this.rtf('rt_result_add'), [m.local.get(fn.resultSet, i32), this.get(fn, s.value)], binaryen.none);
      case 'nop':
        return m.nop();
    }
  }

  /** Appends expr at the end of a block expression (the not statement's failure after its inner block). */
  private appendToBlock(block: Expr, expr: Expr): Expr {
    const info = binaryen.getExpressionInfo(block) as binaryen.BlockInfo;
    return this.mod.block(info.name, [...info.children, expr], binaryen.none);
  }

  private scan(fn: FnBuilder, source: Local, key: Local, value: Local, block: Block): Expr {
    const m = this.mod;
    const src = fn.scratch();
    const n = fn.scratch();
    const i = fn.scratch();
    const exit = `S${this.labelCounter++}`;
    const loop = `R${this.labelCounter++}`;
    const body = this.countedBlock(fn, block);
    return m.block(null, [
      m.local.set(src, this.get(fn, source)),
      m.local.set(n, m.call(this.rtf('rt_scan_len'), [m.local.get(src, i32)], i32)),
      m.local.set(i, m.i32.const(0)),
      m.block(exit, [
        m.loop(loop, m.block(null, [
          m.br(exit, m.i32.ge_s(m.local.get(i, i32), m.local.get(n, i32))),
          m.local.set(fn.local(key), m.call(this.rtf('rt_scan_key'), [m.local.get(src, i32), m.local.get(i, i32)], i32)),
          m.local.set(fn.local(value), m.call(this.rtf('rt_scan_value'), [m.local.get(src, i32), m.local.get(i, i32)], i32)),
          body,
          m.local.set(i, m.i32.add(m.local.get(i, i32), m.i32.const(1))),
          m.br(loop),
        ])),
      ]),
    ]);
  }

  private typeCheck(fn: FnBuilder, source: Operand, tag: number): Expr {
    const m = this.mod;
    return this.failIf(fn, m.i32.eqz(m.call(this.rtf('rt_is_type'), [this.operand(fn, source), m.i32.const(tag)], i32)));
  }

  private builtinCall(fn: FnBuilder, name: string, args: Operand[]): Expr {
    const m = this.mod;
    const exportName = `builtin_${name.replace(/\./g, '_')}`;
    const internal = this.rt.funcs.get(exportName);
    const argExprs = args.map((a) => this.operand(fn, a));
    if (internal !== undefined) {
      const info = binaryen.getFunctionInfo(m.getFunction(internal));
      const arity = binaryen.expandType(info.params).length;
      if (arity !== args.length) {
        throw new CodegenError('rego_compile_error', `builtin ${name} takes ${arity} arguments in Airlock's WebAssembly runtime, the plan passes ${args.length}`);
      }
      return m.call(internal, argExprs, i32);
    }
    const id = this.externalIds.get(name);
    if (id === undefined) {
      throw new CodegenError('rego_unknown_builtin', `builtin ${name} is not implemented by Airlock's WebAssembly runtime`);
    }
    if (args.length > 4) throw new CodegenError('rego_compile_error', `external builtin ${name} has ${args.length} arguments; the SDK supports at most 4`);
    const importName = `opa_builtin${args.length}`;
    if (!this.imported.has(args.length)) {
      this.imported.add(args.length);
      m.addFunctionImport(importName, 'env', importName, binaryen.createType(new Array(args.length + 2).fill(i32)), i32);
    }
    return m.call(importName, [m.i32.const(id), m.i32.const(0), ...argExprs], i32);
  }

  // ------------------------------------------------------------ helpers

  private rtf(exportName: string): string {
    const f = this.rt.funcs.get(exportName);
    if (!f) throw new CodegenError('rego_compile_error', `runtime export ${exportName} is missing (rebuild build/runtime.wasm)`);
    return f;
  }

  private abort(message: string): Expr {
    return this.mod.block(null, [
      this.mod.call(this.rt.abort, [this.mod.i32.const(this.statics.cstring(message))], binaryen.none),
      this.mod.unreachable(),
    ]);
  }

  private get(fn: FnBuilder, l: Local): Expr {
    return this.mod.local.get(fn.local(l), i32);
  }

  private set(fn: FnBuilder, l: Local, value: Expr): Expr {
    return this.mod.local.set(fn.local(l), value);
  }

  /** target = value, failing when value is undefined (0). */
  private setOrFail(fn: FnBuilder, target: Local, value: Expr): Expr {
    const m = this.mod;
    const tmp = fn.scratch();
    return m.block(null, [
      m.local.set(tmp, value),
      this.failIf(fn, m.i32.eqz(m.local.get(tmp, i32))),
      m.local.set(fn.local(target), m.local.get(tmp, i32)),
    ]);
  }

  private operand(fn: FnBuilder, o: Operand): Expr {
    switch (o.kind) {
      case 'local':
        return this.get(fn, o.local);
      case 'bool':
        return this.mod.i32.const(this.statics.bool(o.value));
      case 'string': {
        const s = this.policy.strings[o.index];
        if (s === undefined) throw new CodegenError('rego_compile_error', `string constant ${o.index} is missing`);
        return this.mod.i32.const(this.statics.string(s));
      }
    }
  }
}

/** Wasm locals of one function: IR locals mapped on first use, plus scratch locals. */
class FnBuilder {
  private readonly map = new Map<Local, number>();
  count: number;
  labels: Label[] = [];
  resultSet?: number;

  constructor(params: Local[]) {
    params.forEach((p, i) => this.map.set(p, i));
    this.count = params.length;
  }

  local(l: Local): number {
    let idx = this.map.get(l);
    if (idx === undefined) {
      idx = this.count++;
      this.map.set(l, idx);
    }
    return idx;
  }

  scratch(): number {
    return this.count++;
  }
}
