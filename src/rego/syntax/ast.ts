// The Rego abstract syntax tree: what the parser produces and every later stage reads.
//
// Shapes follow OPA's AST closely so that OPA's documentation explains them:
// operators are calls to builtins by their OPA names (`a == b` is `equal(a, b)`,
// `x := y` is `assign(x, y)`, `x = y` is `eq(x, y)`, `x in xs` is
// `internal.member_2(x, xs)`), rule heads carry a reference, and every node has a
// location. Later stages may annotate nodes by building new ones; they never
// mutate the parser's output in place.

/** A position in a source file; `line` and `col` count from 1, `col` in UTF-16 code units. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------
// Terms

export interface NullTerm { type: 'null'; loc: Location }
export interface BooleanTerm { type: 'boolean'; value: boolean; loc: Location }
/** `text` is the literal exactly as written (after a unary minus was folded in: "-1.5e3"). */
export interface NumberTerm { type: 'number'; text: string; loc: Location }
/** `value` is the decoded string (escapes and raw strings resolved). */
export interface StringTerm { type: 'string'; value: string; loc: Location }
/**
 * A variable. The wildcard `_` is given a unique name by the parser (`$_0`, `$_1`, …)
 * with `wildcard: true`, as OPA does, so that two `_` never unify with each other.
 */
export interface VarTerm { type: 'var'; name: string; wildcard?: boolean; loc: Location }
/**
 * A reference: `head` followed by path elements. `data.a.b[x]` is
 * `{head: var data, path: [string "a", string "b", var x]}`; `f(x)[0]` has a call as head;
 * `[1, 2][i]` has an array as head. A dotted element is a StringTerm.
 */
export interface RefTerm { type: 'ref'; head: Term; path: Term[]; loc: Location }
export interface ArrayTerm { type: 'array'; items: Term[]; loc: Location }
export interface SetTerm { type: 'set'; items: Term[]; loc: Location }
export interface ObjectTerm { type: 'object'; entries: Array<[Term, Term]>; loc: Location }
export interface ArrayComprehension { type: 'arraycompr'; term: Term; body: Body; loc: Location }
export interface SetComprehension { type: 'setcompr'; term: Term; body: Body; loc: Location }
export interface ObjectComprehension { type: 'objectcompr'; key: Term; value: Term; body: Body; loc: Location }
/**
 * A call: `operator` is the function's name as a reference (`count`, `time.now_ns`,
 * `data.lib.f`, a local alias like `lib.f` resolved later). Infix operators become calls
 * to the builtin of that name (see OPERATOR_BUILTINS).
 */
export interface CallTerm { type: 'call'; operator: RefTerm; args: Term[]; loc: Location }

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | SetTerm
  | ObjectTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

/** OPA's builtin names for Rego's infix operators. */
export const OPERATOR_BUILTINS = {
  '=': 'eq',
  ':=': 'assign',
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '&': 'and',
  '|': 'or',
} as const;

/** `x in xs` and `k, v in xs` are calls to these (OPA's names). */
export const MEMBER_BUILTIN = 'internal.member_2';
export const MEMBER_WITH_KEY_BUILTIN = 'internal.member_3';

// ---------------------------------------------------------------------------
// Expressions and bodies

/** `with <target> as <value>`; target is a reference rooted at `input` or `data` (or a function name). */
export interface WithModifier { target: RefTerm; value: Term; loc: Location }

/** A term used as an expression: a call (including eq/assign/equal…), a ref, or any value. */
export interface TermExpr { kind: 'term'; term: Term }
/** `some x, y` */
export interface SomeDeclExpr { kind: 'some'; vars: VarTerm[] }
/** `some v in xs` / `some k, v in xs` (key absent in the first form). Key and value may be patterns. */
export interface SomeInExpr { kind: 'somein'; key?: Term; value: Term; collection: Term }
/** `every v in xs { body }` / `every k, v in xs { body }` */
export interface EveryExpr { kind: 'every'; key?: VarTerm; value: VarTerm; domain: Term; body: Body }

export interface Expr {
  negated: boolean;
  with: WithModifier[];
  body: TermExpr | SomeDeclExpr | SomeInExpr | EveryExpr;
  loc: Location;
}

export type Body = Expr[];

// ---------------------------------------------------------------------------
// Rules, imports, modules

/**
 * A rule head. `ref` is the head's reference relative to the package: `p`, `a.b.c`,
 * `p[x]` (its last element a non-string term for partial set/object rules).
 *
 * kinds, as OPA distinguishes them:
 * - complete:       `p := 1`, `p = 1 if ...`, `p if ...` (value true), `a.b.c := v`
 * - partialSet:     `p contains x if ...`, v0 `p[x] { ... }` (no value); `key` holds x
 * - partialObject:  `p[k] := v`, `a.b[k] := v` (ref ends in a variable key); `key` = k, `value` = v
 * - function:       `f(x, y) := v`, `f(x) if ...` (value true); `args` holds the parameters
 */
export type RuleKind = 'complete' | 'partialSet' | 'partialObject' | 'function';

export interface RuleHead {
  kind: RuleKind;
  ref: RefTerm;
  args?: Term[];
  key?: Term;
  /** Absent for partial sets. For `p if ...` it is the `true` term the parser adds. */
  value?: Term;
  /** true when written with `:=` */
  assign: boolean;
  loc: Location;
}

export interface Rule {
  default: boolean;
  head: RuleHead;
  /** Empty for `p := 1` (a rule with no body is always defined). */
  body: Body;
  /** The next rule of an `else` chain; its head shares the rule's ref. */
  else?: Rule;
  loc: Location;
}

export interface Import {
  /** `data.foo.bar`, `input.x`, `future.keywords.in`, `rego.v1` */
  path: RefTerm;
  alias?: string;
  loc: Location;
}

export interface Module {
  file: string;
  /** The package as a data reference: `package a.b` is data.a.b */
  package: RefTerm;
  imports: Import[];
  rules: Rule[];
  /** 1 for Rego v1 (the default); 0 for a module parsed in v0-compatible mode without `import rego.v1`. */
  regoVersion: 0 | 1;
  loc: Location;
}

// ---------------------------------------------------------------------------
// Errors shared by every stage of the compiler

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'rego_compile_error'
  | 'rego_unknown_builtin'
  | 'rego_conflict_error';

/** One problem in the user's Rego, with where it is. Stages collect these rather than throw. */
export interface RegoError {
  code: RegoErrorCode;
  message: string;
  loc: Location;
}

export function formatRegoError(e: RegoError): string {
  return `${e.loc.file}:${e.loc.line}:${e.loc.col}: ${e.code}: ${e.message}`;
}
