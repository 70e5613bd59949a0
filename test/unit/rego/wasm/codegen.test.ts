// Code generation from hand-written IR: control flow, functions, memoization, `with`, conflicts, builtins, both SDK paths, heap reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyBuilder, load, local, wasm, type WasmInstance, type WasmMemory } from './helpers.ts';
import { generateWasm } from '../../../../src/rego/wasm/index.ts';
import type { Stmt } from '../../../../src/rego/plan/ir.ts';

test('scan, not, break and blocks: collect input.xs elements > 1 except "skip" values into a set', async () => {
  const b = new PolicyBuilder();
  b.plan('t/scan', [
    { op: 'makeSet', target: 2 },
    { op: 'dot', source: local(0), key: b.str('xs'), target: 3 },
    { op: 'scan', source: 3, key: 4, value: 5, block: { stmts: [
      { op: 'not', block: { stmts: [{ op: 'equal', a: local(5), b: b.str('skip') }] } },
      { op: 'makeNumberInt', value: 1, target: 6 },
      { op: 'callBuiltin', name: 'gt', args: [local(5), local(6)], result: 7 },
      { op: 'equal', a: local(7), b: { kind: 'bool', value: true } },
      { op: 'setAdd', value: local(5), set: 2 },
    ] } },
    { op: 'resultSetAdd', value: 2 },
  ]);
  // t/first: first element > 10 found by breaking out of the scan (break 1 exits the scan's enclosing block)
  b.plan('t/first', [
    { op: 'dot', source: local(0), key: b.str('xs'), target: 3 },
    { op: 'block', blocks: [{ stmts: [
      { op: 'scan', source: 3, key: 4, value: 5, block: { stmts: [
        { op: 'makeNumberInt', value: 10, target: 6 },
        { op: 'callBuiltin', name: 'gt', args: [local(5), local(6)], result: 7 },
        { op: 'equal', a: local(7), b: { kind: 'bool', value: true } },
        { op: 'assignVar', source: local(5), target: 8 },
        { op: 'break', index: 1 },
      ] } },
    ] }] },
    { op: 'isDefined', source: 8 },
    { op: 'resultSetAdd', value: 8 },
  ]);
  const p = await load(b.build());
  assert.deepEqual(p.evaluate({ xs: [3, 'skip', 1, 'a', 2, 3, [0]] }, 't/scan'), [{ result: [2, 3, 'a', [0]] }]);
  assert.deepEqual(p.evaluate({ xs: { a: 5, b: 0 } }, 't/scan'), [{ result: [5] }]);
  assert.deepEqual(p.evaluate({ xs: 'not a collection' }, 't/scan'), [{ result: [] }]);
  assert.deepEqual(p.evaluate({}, 't/scan'), []);
  assert.deepEqual(p.evaluate({ xs: [1, 20, 30] }, 't/first'), [{ result: 20 }]);
  assert.deepEqual(p.evaluate({ xs: [1, 2] }, 't/first'), []);
});

test('functions, default via fall-through blocks, and complete-rule conflicts', async () => {
  const b = new PolicyBuilder();
  const conflict = 'complete rules must not produce multiple outputs';
  // func double(input, data, x) = x * 2
  b.func({ name: 'g0.double', params: [0, 1, 2], result: 3, path: ['data', 't', 'double'], memoize: false, blocks: [{ stmts: [
    { op: 'makeNumberInt', value: 2, target: 4 },
    { op: 'callBuiltin', name: 'mul', args: [local(2), local(4)], result: 5 },
    { op: 'assignVarOnce', source: local(5), target: 3, message: 'functions must not produce multiple outputs for same inputs' },
  ] }] });
  // rule r: "a" if input.a; "b" if input.b; default "none"
  b.func({ name: 'g0.r', params: [0, 1], result: 2, path: ['data', 't', 'r'], memoize: true, blocks: [
    { stmts: [{ op: 'dot', source: local(0), key: b.str('a'), target: 3 }, { op: 'assignVarOnce', source: b.str('a'), target: 2, message: conflict }] },
    { stmts: [{ op: 'dot', source: local(0), key: b.str('b'), target: 3 }, { op: 'assignVarOnce', source: b.str('b'), target: 2, message: conflict }] },
    { stmts: [{ op: 'isUndefined', source: 2 }, { op: 'assignVar', source: b.str('none'), target: 2 }] },
  ] });
  b.plan('t/double', [
    { op: 'dot', source: local(0), key: b.str('n'), target: 2 },
    { op: 'call', func: 'g0.double', args: [local(0), local(1), local(2)], result: 3 },
    { op: 'resultSetAdd', value: 3 },
  ]);
  b.plan('t/r', [
    { op: 'call', func: 'g0.r', args: [local(0), local(1)], result: 2 },
    { op: 'call', func: 'g0.r', args: [local(0), local(1)], result: 3 },
    { op: 'equal', a: local(2), b: local(3) },
    { op: 'resultSetAdd', value: 2 },
  ]);
  const p = await load(b.build());
  assert.deepEqual(p.evaluate({ n: 21 }, 't/double'), [{ result: 42 }]);
  assert.deepEqual(p.evaluate({ n: 'x' }, 't/double'), []);
  assert.deepEqual(p.evaluate({ a: 1 }, 't/r'), [{ result: 'a' }]);
  assert.deepEqual(p.evaluate({}, 't/r'), [{ result: 'none' }]);
  assert.throws(() => p.evaluate({ a: 1, b: 1 }, 't/r'), (e: unknown) => e === conflict);
  // The module keeps working after an abort.
  assert.deepEqual(p.evaluate({ b: true }, 't/r'), [{ result: 'b' }]);
});

test('partial object rules: objectInsertOnce conflicts abort, merge of objects', async () => {
  const b = new PolicyBuilder();
  const msg = 'object keys must be unique';
  b.plan('t/obj', [
    { op: 'makeObject', target: 2 },
    { op: 'dot', source: local(0), key: b.str('pairs'), target: 3 },
    { op: 'scan', source: 3, key: 4, value: 5, block: { stmts: [
      { op: 'makeNumberInt', value: 0, target: 6 },
      { op: 'dot', source: local(5), key: local(6), target: 7 },
      { op: 'makeNumberInt', value: 1, target: 6 },
      { op: 'dot', source: local(5), key: local(6), target: 8 },
      { op: 'objectInsertOnce', key: local(7), value: local(8), object: 2, message: msg },
    ] } },
    { op: 'dot', source: local(0), key: b.str('extra'), target: 9 },
    { op: 'objectMerge', a: 2, b: 9, target: 10 },
    { op: 'resultSetAdd', value: 10 },
  ]);
  const p = await load(b.build());
  assert.deepEqual(p.evaluate({ pairs: [['b', 1], ['a', 2], ['a', 2]], extra: { c: { d: 1 }, a: 9 } }, 't/obj'), [{ result: { a: 2, b: 1, c: { d: 1 } } }]);
  assert.deepEqual(p.evaluate({ pairs: [[1, 'one'], [[1], 'arr'], ['s', 'str']], extra: {} }, 't/obj'), [{ result: { '1': 'one', '[1]': 'arr', s: 'str' } }]);
  assert.throws(() => p.evaluate({ pairs: [['a', 1], ['a', 2]], extra: {} }, 't/obj'), (e: unknown) => e === msg);
});

test('with: copy-on-write upsert of input paths with a fresh memo scope', async () => {
  const b = new PolicyBuilder();
  b.func({ name: 'g0.user', params: [0, 1], result: 2, path: ['data', 't', 'user'], memoize: true, blocks: [{ stmts: [
    { op: 'dot', source: local(0), key: b.str('user'), target: 3 },
    { op: 'dot', source: local(3), key: b.str('name'), target: 4 },
    { op: 'assignVar', source: local(4), target: 2 },
  ] }] });
  b.plan('t/with', [
    { op: 'makeArray', capacity: 3, target: 2 },
    { op: 'call', func: 'g0.user', args: [local(0), local(1)], result: 3 },
    { op: 'arrayAppend', value: local(3), array: 2 },
    { op: 'with', local: 0, path: [b.idx('user'), b.idx('name')], value: b.str('bob'), target: 5, block: { stmts: [
      { op: 'call', func: 'g0.user', args: [local(5), local(1)], result: 6 },
      { op: 'arrayAppend', value: local(6), array: 2 },
    ] } },
    { op: 'call', func: 'g0.user', args: [local(0), local(1)], result: 7 },
    { op: 'arrayAppend', value: local(7), array: 2 },
    { op: 'arrayAppend', value: local(0), array: 2 },
    { op: 'resultSetAdd', value: 2 },
  ]);
  const p = await load(b.build());
  assert.deepEqual(p.evaluate({ user: { name: 'alice', id: 1 } }, 't/with'), [{ result: ['alice', 'bob', 'alice', { user: { name: 'alice', id: 1 } }] }]);
});

test('data documents, several entrypoints, and the builtins/entrypoints exports', async () => {
  const b = new PolicyBuilder();
  b.plan('a/limit', [
    { op: 'dot', source: local(1), key: b.str('limits'), target: 2 },
    { op: 'dot', source: local(2), key: b.str('max'), target: 3 },
    { op: 'resultSetAdd', value: 3 },
  ]);
  b.plan('a/count', [
    { op: 'callBuiltin', name: 'count', args: [local(0)], result: 2 },
    { op: 'makeNumberRef', index: b.idx('123456789012345678901234567890'), target: 3 },
    { op: 'makeArray', capacity: 2, target: 4 },
    { op: 'arrayAppend', value: local(2), array: 4 },
    { op: 'arrayAppend', value: local(3), array: 4 },
    { op: 'resultSetAdd', value: 4 },
  ]);
  const p = await load(b.build());
  assert.deepEqual(p.entrypoints, { 'a/limit': 0, 'a/count': 1 });
  assert.deepEqual(p.evaluate({}, 'a/limit'), []);
  p.setData({ limits: { max: 5 } });
  assert.deepEqual(p.evaluate({}, 'a/limit'), [{ result: 5 }]);
  assert.deepEqual(p.evaluate({}, 0), [{ result: 5 }]);
  assert.deepEqual(p.evaluate('héllo', 'a/count'), [{ result: [5, 123456789012345678901234567890] }]);
  assert.throws(() => p.evaluate({}, 7 as unknown as string), /invalid entrypoint id/);
});

test('external builtins go through opa_builtinN and the builtins export', async () => {
  const b = new PolicyBuilder();
  b.externalBuiltins.push('custom.greet');
  b.plan('t/ext', [
    { op: 'callBuiltin', name: 'custom.greet', args: [local(0), b.str('!')], result: 2 },
    { op: 'resultSetAdd', value: 2 },
  ]);
  const p = await load(b.build(), { 'custom.greet': (who: unknown, mark: unknown) => `hi ${String(who)}${String(mark)}` });
  assert.deepEqual(p.evaluate('ann', 't/ext'), [{ result: 'hi ann!' }]);
});

test('a builtin the runtime lacks is a compile error naming it', async () => {
  const b = new PolicyBuilder();
  b.plan('t/x', [{ op: 'callBuiltin', name: 'no.such_builtin', args: [local(0)], result: 2 }, { op: 'resultSetAdd', value: 2 }]);
  const r = await generateWasm(b.build());
  assert.equal(r.wasm, undefined);
  assert.equal(r.errors[0]?.code, 'rego_unknown_builtin');
  assert.match(r.errors[0]!.message, /builtin no\.such_builtin is not implemented by Airlock's WebAssembly runtime/);
});

test('imports only env, exports the ABI, memory minimum within the SDK default', async () => {
  const b = new PolicyBuilder();
  b.plan('t/id', [{ op: 'resultSetAdd', value: 0 }]);
  const r = await generateWasm(b.build());
  const mod = new wasm.Module(r.wasm!);
  const imports = wasm.Module.imports(mod);
  assert.ok(imports.every((i) => i.module === 'env'), JSON.stringify(imports));
  // The SDK provides exactly these (opa_println serves print; opa_builtinN only when external builtins are used).
  assert.deepEqual(imports.map((i) => i.name).sort(), ['memory', 'opa_abort', 'opa_println']);
  const exports = new Set(wasm.Module.exports(mod).map((e) => e.name));
  for (const name of ['opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'builtins', 'entrypoints', 'opa_malloc', 'opa_free',
    'opa_json_parse', 'opa_json_dump', 'opa_value_parse', 'opa_value_dump', 'opa_value_add_path', 'opa_value_remove_path',
    'opa_heap_ptr_get', 'opa_heap_ptr_set', 'opa_eval', 'opa_eval_ctx_new', 'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data',
    'opa_eval_ctx_set_entrypoint', 'eval', 'opa_eval_ctx_get_result']) assert.ok(exports.has(name), name);
  assert.ok(r.wasm!.length < 1024 * 1024);
  // The memory import's minimum: the limits byte follows the import name; instantiate with 2 pages to prove it.
  const memory = new wasm.Memory({ initial: 2 });
  await wasm.instantiate(mod, { env: { memory, opa_abort: () => { throw new Error('abort'); }, opa_println: () => {} } });
});

test('the context path (ABI < 1.2) and opa_value_dump / add_path / remove_path', async () => {
  const b = new PolicyBuilder();
  b.plan('t/id', [{ op: 'resultSetAdd', value: 0 }]);
  const p = await load(b.build());
  // Force the SDK's older path.
  (p as unknown as { minorVersion: number }).minorVersion = 1;
  assert.deepEqual(p.evaluate({ a: [1, { b: 'c' }] }, 't/id'), [{ result: { a: [1, { b: 'c' }] } }]);
  assert.deepEqual(p.evaluate(undefined, 't/id'), []);
  const inst = p as unknown as { wasmInstance: WasmInstance; mem: WasmMemory };
  const ex = inst.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const put = (text: string, fn = 'opa_value_parse') => {
    const bytes = new TextEncoder().encode(text);
    const at = ex.opa_malloc!(bytes.length);
    new Uint8Array(inst.mem.buffer).set(bytes, at);
    return ex[fn]!(at, bytes.length);
  };
  const read = (addr: number) => {
    const m = new Uint8Array(inst.mem.buffer);
    let e = addr;
    while (m[e] !== 0) e++;
    return new TextDecoder().decode(m.subarray(addr, e));
  };
  const v = put('{"b": {1, "x", [2]}, "a": set(), [1]: {"k": "v\\"q"}}');
  assert.equal(read(ex.opa_value_dump!(v)), '{"a": set(), "b": {1, "x", [2]}, [1]: {"k": "v\\"q"}}');
  assert.equal(read(ex.opa_json_dump!(v)), '{"a":[],"b":[1,"x",[2]],"[1]":{"k":"v\\"q"}}');
  assert.equal(ex.opa_value_add_path!(v, put('["c", "d"]'), put('42')), 0);
  assert.equal(ex.opa_value_remove_path!(v, put('["b"]')), 0);
  assert.equal(read(ex.opa_json_dump!(v)), '{"a":[],"c":{"d":42},"[1]":{"k":"v\\"q"}}');
  assert.equal(put('{"a":', 'opa_json_parse'), 0);
  assert.equal(put('{1: 2}', 'opa_json_parse'), 0);
});

test('the heap is reset: no memory growth across 100,000 evaluations', async () => {
  const b = new PolicyBuilder();
  const stmts: Stmt[] = [
    { op: 'dot', source: local(0), key: b.str('items'), target: 2 },
    { op: 'makeSet', target: 3 },
    { op: 'scan', source: 2, key: 4, value: 5, block: { stmts: [{ op: 'setAdd', value: local(5), set: 3 }] } },
    { op: 'resultSetAdd', value: 3 },
  ];
  b.plan('t/m', stmts);
  const p = await load(b.build());
  const input = { items: Array.from({ length: 20 }, (_, i) => `item-${i % 7}`), pad: 'x'.repeat(1000) };
  p.evaluate(input, 't/m');
  const mem = (p as unknown as { mem: WasmMemory }).mem;
  const before = mem.buffer.byteLength;
  for (let i = 0; i < 100_000; i++) p.evaluate(input, 't/m');
  assert.equal(mem.buffer.byteLength, before);
  assert.deepEqual(p.evaluate(input, 't/m')[0].result.length, 7);
});
