// The OPA WebAssembly ABI (1.3) exports that the SDK calls: allocation, JSON/value I/O, paths, evaluation (fast path and context path).

import { malloc, heapGet, heapSet, heapStartEvaluation, abortWith, calloc } from './memory';
import {
  Value, typeOf, T_ARRAY, T_OBJECT, T_STRING, arrayLen, arrayGet, objectGet, objectInsert,
  objectFind, makeObject, objectLen, objectKeyAt, objectValueAt, makeSet,
} from './value';
import { parseJson, parseRegoValue, dumpJson, dumpRego } from './json';

/** Supplied by codegen: evaluates entrypoint `id` and returns the result set (a set of {"result": v}). */
@external("airlock", "eval_plan")
declare function evalPlan(id: i32, input: Value, data: Value): Value;

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

export function opa_malloc(n: usize): usize {
  return malloc(n);
}

/** Memory is reclaimed only by heap resets (opa_heap_ptr_set); freeing is a no-op. */
export function opa_free(p: usize): void {}

export function opa_heap_ptr_get(): usize {
  return heapGet();
}

export function opa_heap_ptr_set(p: usize): void {
  heapSet(p);
}

export function opa_json_parse(ptr: usize, len: usize): Value {
  return parseJson(ptr, <u32>len);
}

export function opa_value_parse(ptr: usize, len: usize): Value {
  return parseRegoValue(ptr, <u32>len);
}

export function opa_json_dump(v: Value): usize {
  return dumpJson(v);
}

export function opa_value_dump(v: Value): usize {
  return dumpRego(v);
}

// Error codes of opa_value_add_path / opa_value_remove_path (as OPA's runtime).
const OPA_ERR_OK: i32 = 0;
const OPA_ERR_INVALID_TYPE: i32 = 2;
const OPA_ERR_INVALID_PATH: i32 = 3;

/** Sets base[path...] = value in place, creating intermediate objects. path is an array value of keys. */
export function opa_value_add_path(base: Value, path: Value, value: Value): i32 {
  if (base == 0 || path == 0 || typeOf(path) != T_ARRAY || typeOf(base) != T_OBJECT) return OPA_ERR_INVALID_TYPE;
  const n = arrayLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrayGet(path, i);
    let next = objectGet(cur, k);
    if (next == 0) {
      next = makeObject(4);
      objectInsert(cur, k, next);
    } else if (typeOf(next) != T_OBJECT) return OPA_ERR_INVALID_PATH;
    cur = next;
  }
  objectInsert(cur, arrayGet(path, n - 1), value);
  return OPA_ERR_OK;
}

/** Removes base[path...] in place (no-op when absent). */
export function opa_value_remove_path(base: Value, path: Value): i32 {
  if (base == 0 || path == 0 || typeOf(path) != T_ARRAY || typeOf(base) != T_OBJECT) return OPA_ERR_INVALID_TYPE;
  const n = arrayLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    cur = objectGet(cur, arrayGet(path, i));
    if (cur == 0) return OPA_ERR_OK;
    if (typeOf(cur) != T_OBJECT) return OPA_ERR_INVALID_PATH;
  }
  const at = objectFind(cur, arrayGet(path, n - 1));
  if (at < 0) return OPA_ERR_OK;
  const len = objectLen(cur);
  const entries = load<u32>(cur, 12);
  const p = entries + (<usize>at << 3);
  memory.copy(p, p + 8, <usize>(len - 1 - <u32>at) << 3);
  store<u32>(cur, len - 1, 4);
  return OPA_ERR_OK;
}

// ---------------------------------------------------------------- evaluation context (ABI < 1.2 path)

// ctx layout: [input @0][data @4][entrypoint @8][result @12]
export function opa_eval_ctx_new(): usize {
  return calloc(16);
}

export function opa_eval_ctx_set_input(ctx: usize, v: Value): void {
  store<u32>(ctx, v);
}

export function opa_eval_ctx_set_data(ctx: usize, v: Value): void {
  store<u32>(ctx, v, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, id: i32): void {
  store<i32>(ctx, id, 8);
}

export function opa_eval_ctx_get_result(ctx: usize): Value {
  return load<u32>(ctx, 12);
}

export function eval(ctx: usize): i32 {
  store<u32>(ctx, evalPlan(load<i32>(ctx, 8), load<u32>(ctx), load<u32>(ctx, 4)), 12);
  return 0;
}

/**
 * The ABI 1.2 fast path: the SDK wrote the input JSON at inputAddr; the heap starts at heapPtr.
 * Returns the address of the NUL-terminated JSON (format 0) or Rego text (format 1) of the result set.
 */
export function opa_eval(reserved: i32, entrypoint: i32, data: Value, inputAddr: usize, inputLen: usize, heapPtr: usize, format: i32): usize {
  heapStartEvaluation(heapPtr);
  let input: Value = 0;
  if (inputLen > 0) {
    input = parseJson(inputAddr, <u32>inputLen);
    if (input == 0) abortWith("opa_eval: failed to parse input JSON");
  }
  const rs = evalPlan(entrypoint, input, data);
  return format == 1 ? dumpRego(rs) : dumpJson(rs);
}
