// The catalog of OPA builtins Airlock knows: arity, argument/result types, and flags used by the checker and planner.
//
// Types follow OPA's type system closely enough for the compile-time checker: `any`,
// scalars, `array[of]`, `set[of]`, `object[key: value]`, and unions (`any<a, b>`).
// The wasm backend maps a name to its runtime export `builtin_<name with '.' → '_'>`.

export type TypeSpec =
  | { kind: 'any' }
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'string' }
  /** `static`: the element types of an array of known length (a literal), as OPA's `array<a, b>`. */
  /** `static`: the type of each position when the length is known; `tuple`: a builtin's declared fixed-length argument. */
  | { kind: 'array'; of: TypeSpec; static?: TypeSpec[]; tuple?: boolean }
  | { kind: 'set'; of: TypeSpec }
  | { kind: 'object'; key: TypeSpec; value: TypeSpec }
  | { kind: 'union'; of: TypeSpec[] };

export interface BuiltinDecl {
  name: string;
  args: TypeSpec[];
  result: TypeSpec;
  /** Extra arguments of this type may follow `args` (e.g. `print`). */
  variadic?: TypeSpec;
  /** A relation yields several results: the runtime returns an array of them and the planner scans it (e.g. `walk`). */
  relation?: boolean;
  /** Removed from Rego v1: a v1 module calling it gets "undefined function". */
  deprecated?: boolean;
  /** The result may differ between evaluations (time, randomness). */
  nondeterministic?: boolean;
}

const A: TypeSpec = { kind: 'any' };
const N: TypeSpec = { kind: 'number' };
const S: TypeSpec = { kind: 'string' };
const B: TypeSpec = { kind: 'boolean' };
const NULL: TypeSpec = { kind: 'null' };
const arr = (of: TypeSpec = A): TypeSpec => ({ kind: 'array', of });
const set = (of: TypeSpec = A): TypeSpec => ({ kind: 'set', of });
const obj = (key: TypeSpec = A, value: TypeSpec = A): TypeSpec => ({ kind: 'object', key, value });
const or = (...of: TypeSpec[]): TypeSpec => ({ kind: 'union', of });
/** An array of fixed length with a type per position (OPA's `array<number, string>`). */
const tuple = (...items: TypeSpec[]): TypeSpec => ({ kind: 'array', of: or(...items), static: items, tuple: true });
const O = obj();
const collection = or(arr(), O, set());

type Flags = Pick<BuiltinDecl, 'variadic' | 'relation' | 'deprecated' | 'nondeterministic'>;
const decls: BuiltinDecl[] = [];
function def(name: string, args: TypeSpec[], result: TypeSpec, flags: Flags = {}): void {
  decls.push({ name, args, result, ...flags });
}

// comparison and arithmetic (the operators' builtins)
for (const n of ['equal', 'neq', 'lt', 'lte', 'gt', 'gte']) def(n, [A, A], B);
for (const n of ['plus', 'mul', 'div', 'rem']) def(n, [N, N], N);
def('minus', [or(N, set()), or(N, set())], or(N, set()));
def('and', [set(), set()], set());
def('or', [set(), set()], set());
def('internal.member_2', [A, A], B);
def('internal.member_3', [A, A, A], B);

// aggregates
def('count', [or(arr(), O, set(), S)], N);
def('sum', [or(arr(N), set(N))], N);
def('product', [or(arr(N), set(N))], N);
def('max', [or(arr(), set())], A);
def('min', [or(arr(), set())], A);
def('sort', [or(arr(), set())], arr());
def('all', [or(arr(), set())], B, { deprecated: true });
def('any', [or(arr(), set())], B, { deprecated: true });

// arrays
def('array.concat', [arr(), arr()], arr());
def('array.slice', [arr(), N, N], arr());
def('array.reverse', [arr()], arr());

// sets
def('intersection', [set(set())], set());
def('union', [set(set())], set());
def('set_diff', [set(), set()], set(), { deprecated: true });

// objects
def('object.get', [O, A, A], A);
def('object.union', [O, O], A);
def('object.union_n', [arr(O)], A);
def('object.remove', [O, collection], A);
def('object.filter', [O, collection], A);
def('object.keys', [O], set());
def('object.subset', [or(O, arr(), set()), or(O, arr(), set())], A);
def('json.filter', [O, or(arr(or(S, arr())), set(or(S, arr())))], A);
def('json.remove', [O, or(arr(or(S, arr())), set(or(S, arr())))], A);
def('json.patch', [A, arr(O)], A);

// strings
def('concat', [S, or(arr(S), set(S))], S);
def('contains', [S, S], B);
def('startswith', [S, S], B);
def('endswith', [S, S], B);
def('lower', [S], S);
def('upper', [S], S);
def('replace', [S, S, S], S);
def('split', [S, S], arr(S));
def('sprintf', [S, arr()], S);
def('substring', [S, N, N], S);
def('indexof', [S, S], N);
def('indexof_n', [S, S], arr(N));
for (const n of ['trim', 'trim_left', 'trim_right', 'trim_prefix', 'trim_suffix']) def(n, [S, S], S);
def('trim_space', [S], S);
def('format_int', [N, N], S);
def('strings.replace_n', [obj(S, S), S], S);
def('strings.reverse', [S], S);
def('strings.count', [S, S], N);
def('strings.any_prefix_match', [or(S, arr(S), set(S)), or(S, arr(S), set(S))], B);
def('strings.any_suffix_match', [or(S, arr(S), set(S)), or(S, arr(S), set(S))], B);

// regular expressions and globs
def('regex.match', [S, S], B);
def('re_match', [S, S], B, { deprecated: true });
def('regex.is_valid', [A], B);
def('regex.split', [S, S], arr(S));
def('regex.find_n', [S, S, N], arr(S));
def('regex.find_all_string_submatch_n', [S, S, N], arr(arr(S)));
def('regex.replace', [S, S, S], S);
def('regex.template_match', [S, S, S, S], B);
def('regex.globs_match', [S, S], B);
def('glob.match', [S, or(NULL, arr(S)), S], B);
def('glob.quote_meta', [S], S);

// numbers
for (const n of ['abs', 'round', 'ceil', 'floor']) def(n, [N], N);
def('numbers.range', [N, N], arr(N));
def('numbers.range_step', [N, N, N], arr(N));
def('to_number', [or(NULL, B, N, S)], N);
def('rand.intn', [S, N], N, { nondeterministic: true });

// bits
for (const n of ['bits.and', 'bits.or', 'bits.xor', 'bits.lsh', 'bits.rsh']) def(n, [N, N], N);
def('bits.negate', [N], N);

// types
for (const n of ['is_number', 'is_string', 'is_boolean', 'is_array', 'is_set', 'is_object', 'is_null']) def(n, [A], B);
def('type_name', [A], S);

// casts (deprecated)
def('cast_array', [A], arr(), { deprecated: true });
def('cast_set', [A], set(), { deprecated: true });
def('cast_string', [A], S, { deprecated: true });
def('cast_boolean', [A], B, { deprecated: true });
def('cast_null', [A], NULL, { deprecated: true });
def('cast_object', [A], O, { deprecated: true });

// encoding
def('json.marshal', [A], S);
def('json.marshal_with_options', [A, O], S);
def('json.unmarshal', [S], A);
def('json.is_valid', [S], B);
def('base64.encode', [S], S);
def('base64.decode', [S], S);
def('base64.is_valid', [S], B);
def('base64url.encode', [S], S);
def('base64url.encode_no_pad', [S], S);
def('base64url.decode', [S], S);
def('urlquery.encode', [S], S);
def('urlquery.decode', [S], S);
def('urlquery.encode_object', [O], S);
def('urlquery.decode_object', [S], O);
def('hex.encode', [S], S);
def('hex.decode', [S], S);
def('yaml.marshal', [A], S);
def('yaml.unmarshal', [S], A);
def('yaml.is_valid', [S], B);

// time
// OPA: `number` or `[ns, timezone]`; time.format also takes `[ns, timezone, layout]`.
const timeArg = or(N, tuple(N, S));
def('time.now_ns', [], N, { nondeterministic: true });
def('time.parse_ns', [S, S], N);
def('time.parse_rfc3339_ns', [S], N);
def('time.parse_duration_ns', [S], N);
def('time.date', [timeArg], arr(N));
def('time.clock', [timeArg], arr(N));
def('time.weekday', [timeArg], S);
def('time.add_date', [N, N, N, N], N);
def('time.diff', [timeArg, timeArg], arr(N));
def('time.format', [or(N, tuple(N, S), tuple(N, S, S))], S);

// net, crypto, units, uuid, semver, graph
def('net.cidr_contains', [S, S], B);
def('net.cidr_intersects', [S, S], B);
def('net.cidr_is_valid', [S], B);
def('net.cidr_expand', [S], set(S));
def('net.cidr_merge', [or(arr(S), set(S))], set(S));
def('net.cidr_overlap', [S, S], B, { deprecated: true });
def('crypto.sha256', [S], S);
def('crypto.md5', [S], S);
def('crypto.sha1', [S], S);
def('crypto.hmac.sha256', [S, S], S);
def('crypto.hmac.sha1', [S, S], S);
def('crypto.hmac.sha512', [S, S], S);
def('crypto.hmac.md5', [S, S], S);
def('crypto.hmac.equal', [S, S], B);
def('units.parse_bytes', [S], N);
def('units.parse', [S], N);
def('uuid.parse', [S], O);
def('uuid.rfc4122', [S], S, { nondeterministic: true });
def('semver.compare', [S, S], N);
def('semver.is_valid', [A], B);
def('graph.reachable', [O, or(arr(), set())], set());
def('graph.reachable_paths', [O, or(arr(), set())], set(arr()));

// documents, debugging, runtime
def('walk', [A], arr(arr()), { relation: true });
def('print', [], NULL, { variadic: A });
// What the planner lowers print(a, b) to: one array of sets (each the values of one argument,
// empty when undefined); the runtime prints their cross product with opa_println.
def('internal.print', [arr(set())], NULL);
def('trace', [S], B);
def('opa.runtime', [], O);

export const BUILTINS: ReadonlyMap<string, BuiltinDecl> = new Map(decls.map((d) => [d.name, d]));

/** The catalog entry for `name` as a module of the given Rego version may call it. */
export function lookupBuiltin(name: string, regoVersion: 0 | 1): BuiltinDecl | undefined {
  const decl = BUILTINS.get(name);
  if (!decl || (decl.deprecated && regoVersion === 1)) return undefined;
  return decl;
}

/** OPA's spelling of a type, for error messages: `number`, `array[string]`, `any<number, set[any]>`. */
export function typeText(t: TypeSpec): string {
  switch (t.kind) {
    case 'array':
      return t.static ? `array<${t.static.map(typeText).join(', ')}>` : `array[${typeText(t.of)}]`;
    case 'set':
      return `set[${typeText(t.of)}]`;
    case 'object':
      return t.key.kind === 'any' && t.value.kind === 'any' ? 'object' : `object[${typeText(t.key)}: ${typeText(t.value)}]`;
    case 'union':
      return `any<${t.of.map(typeText).join(', ')}>`;
    default:
      return t.kind;
  }
}

/** Whether a value of static type `have` may be passed where `want` is expected (lenient where `have` is partly unknown). */
export function typeAccepts(want: TypeSpec, have: TypeSpec): boolean {
  if (want.kind === 'any' || have.kind === 'any') return true;
  if (want.kind === 'union') return want.of.some((w) => typeAccepts(w, have));
  if (have.kind === 'union') return have.of.some((h) => typeAccepts(want, h));
  if (want.kind !== have.kind) return false;
  if (want.kind === 'array' && want.tuple && want.static && have.kind === 'array' && have.static) {
    // A builtin's fixed-length argument and a literal array: lengths and positions must agree.
    return want.static.length === have.static.length && want.static.every((w, i) => typeAccepts(w, have.static![i]!));
  }
  if ((want.kind === 'array' || want.kind === 'set') && (have.kind === 'array' || have.kind === 'set')) return typeAccepts(want.of, have.of);
  if (want.kind === 'object' && have.kind === 'object') return typeAccepts(want.key, have.key) && typeAccepts(want.value, have.value);
  return true;
}
