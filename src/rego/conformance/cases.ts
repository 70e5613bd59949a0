// Conformance case files: loading the YAML format of ../shared/conformance and decoding its special encodings.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';

/** A value with Rego's extra shapes kept: sets and objects with non-string keys. */
export type RegoValue =
  | null
  | boolean
  | number
  | string
  | RegoValue[]
  | { kind: 'set'; items: RegoValue[] }
  | { kind: 'object'; entries: Array<[RegoValue, RegoValue]> };

/** The case files' own spelling of "undefined"; a plain string so cases can cross to worker threads. */
export const UNDEFINED = '#undefined';
export type Expected = RegoValue | typeof UNDEFINED;
/** Marker for "this case must fail to compile or evaluate". */
export const EXPECT_ERROR = '#error';

export interface ConformanceCase {
  file: string;
  note: string;
  modules: string[];
  data: unknown;
  /** One input per run (several when the case uses `many!`); `undefined` when the case has no input. */
  inputs: unknown[];
  query: string;
  /** One expectation per input: a value, UNDEFINED (no result), or EXPECT_ERROR. */
  expect: Array<Expected | typeof EXPECT_ERROR>;
  skip: boolean;
  wantPrints?: string[];
  strict?: boolean;
  /** Rego dialect of the case's modules: 0 = v0-compatible (the corpus default), 1 = plain v1. */
  regoVersion: 0 | 1;
  options: Record<string, unknown>;
}

/** Every `*.yaml` case under the given files or folders, in path order. */
export async function loadCases(paths: string[]): Promise<ConformanceCase[]> {
  const out: ConformanceCase[] = [];
  for (const root of paths) {
    for (const file of await yamlFiles(root)) {
      // strict: false accepts flow sequences indented less than their key, as other YAML readers do.
      let doc: { cases?: unknown[] } | null;
      try {
        // Maps are read as Map so that keys such as `null:` or `1:` keep their type.
        const parsed = parseDocument(indentFlowContinuations(await readFile(file, 'utf8')), { strict: false });
        if (parsed.errors.length > 0) throw parsed.errors[0];
        doc = toPlain(parsed.toJS({ mapAsMap: true })) as { cases?: unknown[] } | null;
      } catch (e) {
        throw new Error(`${file}: not a readable case file: ${(e as Error).message}`);
      }
      const rel = relative(process.cwd(), file);
      for (const raw of doc?.cases ?? []) out.push(decodeCase(rel, raw as Record<string, unknown>));
    }
  }
  return out;
}

/**
 * Turns the YAML reader's Maps into plain objects where every key is a string, and keeps a
 * Map (an object with typed keys) only where some key is not a string.
 */
function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, val]) => [toPlain(k), toPlain(val)] as [unknown, unknown]);
    if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries);
    return new Map(entries);
  }
  return v;
}

/**
 * Some case files continue a flow collection (`set!: [` … `]`) on lines indented no deeper
 * than its key, which YAML 1.2 forbids but the Rust reader they were written for accepts.
 * Indent such continuation lines two columns past the key so a strict reader agrees.
 */
export function indentFlowContinuations(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:- )?[^#'"]*:\s*[[{]\s*$/.exec(lines[i]!);
    if (!m) continue;
    const minIndent = m[1]!.length + 2;
    let depth = 1;
    for (let j = i + 1; j < lines.length && depth > 0; j++) {
      const line = lines[j]!;
      for (const ch of line.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
        if (ch === '[' || ch === '{') depth++;
        else if (ch === ']' || ch === '}') depth--;
      }
      const indent = line.length - line.trimStart().length;
      if (line.trim() && indent < minIndent) lines[j] = ' '.repeat(minIndent - indent) + line;
    }
  }
  return lines.join('\n');
}

async function yamlFiles(root: string): Promise<string[]> {
  const s = await stat(root);
  if (!s.isDirectory()) return root.endsWith('.yaml') || root.endsWith('.yml') ? [root] : [];
  const out: string[] = [];
  for (const name of (await readdir(root)).sort()) out.push(...(await yamlFiles(join(root, name))));
  return out;
}

function decodeCase(file: string, raw: Record<string, unknown>): ConformanceCase {
  const note = String(raw.note ?? '(unnamed)');
  const inputRaw = raw.input;
  const many = isMany(inputRaw);
  const inputs = many ? (inputRaw as { 'many!': unknown[] })['many!'].map(decodeInputValue) : [inputRaw === undefined ? undefined : decodeInputValue(inputRaw)];
  let expect: Array<Expected | typeof EXPECT_ERROR>;
  if (raw.error !== undefined) expect = inputs.map(() => EXPECT_ERROR);
  else if (raw.no_result === true) expect = inputs.map(() => UNDEFINED);
  else if (isMany(raw.want_result)) expect = (raw.want_result as { 'many!': unknown[] })['many!'].map(decodeExpected);
  else expect = inputs.map(() => decodeExpected(raw.want_result));
  const { note: _n, modules, data, input: _i, query, want_result: _w, no_result: _nr, error: _e, skip, want_prints, strict, ...options } = raw;
  return {
    file,
    note,
    modules: (modules as string[] | undefined) ?? [],
    data: data === undefined || data === null ? {} : decodeInputValue(data),
    inputs,
    query: String(query ?? ''),
    expect,
    skip: skip === true,
    wantPrints: Array.isArray(want_prints) ? want_prints.map(String) : undefined,
    strict: strict === true,
    regoVersion: 0,
    options,
  };
}

function isMany(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'many!' in (v as object);
}

/** Input/data documents: `set!` and `object!` encodings become JSON (sets as arrays, as OPA's JSON would). */
function decodeInputValue(v: unknown): unknown {
  const d = decodeExpected(v);
  if (d === UNDEFINED) return undefined;
  return toJsonProjection(d);
}

export function decodeExpected(v: unknown): Expected {
  if (v === '#undefined') return UNDEFINED;
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => must(decodeExpected(x)));
  if (v instanceof Map) {
    const entries: Array<[RegoValue, RegoValue]> = [];
    for (const [k, val] of v) {
      const dv = decodeExpected(val);
      if (dv !== UNDEFINED) entries.push([must(decodeExpected(k)), dv]);
    }
    return { kind: 'object', entries };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('set!' in o && Object.keys(o).length === 1) return { kind: 'set', items: (o['set!'] as unknown[]).map((x) => must(decodeExpected(x))) };
    if ('object!' in o && Object.keys(o).length === 1) {
      const entries = (o['object!'] as Array<{ key: unknown; value: unknown }>).map(
        (e) => [must(decodeExpected(e.key)), must(decodeExpected(e.value))] as [RegoValue, RegoValue],
      );
      return { kind: 'object', entries };
    }
    const entries: Array<[RegoValue, RegoValue]> = [];
    for (const [k, val] of Object.entries(o)) {
      const dv = decodeExpected(val);
      if (dv !== UNDEFINED) entries.push([k, dv]); // "#undefined" as a field value: the key is absent
    }
    return { kind: 'object', entries };
  }
  throw new Error(`unsupported value in case file: ${String(v)}`);
}

function must(v: Expected): RegoValue {
  if (v === UNDEFINED) throw new Error('#undefined is only allowed as a whole result or an object field');
  return v;
}

/**
 * OPA's JSON projection of a Rego value (what the SDK hands back): sets become arrays in
 * Rego's sort order; object keys that are not strings become their JSON text
 * (`1` → "1", `[1]` → "[1]", `{"a"}` → `["a"]`), because OPA serializes a non-string key
 * with its JSON encoding as the key string.
 */
export function toJsonProjection(v: RegoValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJsonProjection);
  if (v.kind === 'set') return [...v.items].sort(compareRego).map(toJsonProjection);
  const out: Record<string, unknown> = {};
  for (const [k, val] of v.entries) {
    const key = typeof k === 'string' ? k : JSON.stringify(toJsonProjection(k));
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new ProjectionError(key);
    out[key] = toJsonProjection(val);
  }
  return out;
}

/** Two keys of one object have the same JSON text (e.g. `[]` and `set()`): the value cannot be compared through JSON. */
export class ProjectionError extends Error {
  constructor(readonly key: string) {
    super(`two object keys project to the same JSON key ${JSON.stringify(key)}`);
  }
}

/** A Rego literal for a value (sets and non-string keys kept), for comparisons inside the module. */
export function regoLiteral(v: RegoValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(regoLiteral).join(', ')}]`;
  if (v.kind === 'set') return v.items.length ? `{${v.items.map(regoLiteral).join(', ')}}` : 'set()';
  return `{${v.entries.map(([k, val]) => `${regoLiteral(k)}: ${regoLiteral(val)}`).join(', ')}}`;
}

/** Rego's total order across types: null < boolean < number < string < array < object < set. */
export function compareRego(a: RegoValue, b: RegoValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4:
      return compareSeq(a as RegoValue[], b as RegoValue[]);
    case 5: {
      const ea = sortedEntries(a as { kind: 'object'; entries: Array<[RegoValue, RegoValue]> });
      const eb = sortedEntries(b as { kind: 'object'; entries: Array<[RegoValue, RegoValue]> });
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const c = compareRego(ea[i]![0], eb[i]![0]);
        if (c) return c;
        const d = compareRego(ea[i]![1], eb[i]![1]);
        if (d) return d;
      }
      return ea.length - eb.length;
    }
    default:
      return compareSeq(
        [...(a as { items: RegoValue[] }).items].sort(compareRego),
        [...(b as { items: RegoValue[] }).items].sort(compareRego),
      );
  }
}

function compareSeq(a: RegoValue[], b: RegoValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareRego(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

function sortedEntries(o: { entries: Array<[RegoValue, RegoValue]> }): Array<[RegoValue, RegoValue]> {
  return [...o.entries].sort((x, y) => compareRego(x[0], y[0]));
}

function rank(v: RegoValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return v.kind === 'object' ? 5 : 6;
}

/** Structural JSON equality (exact numbers); object key order is irrelevant. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
