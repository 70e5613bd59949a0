// Parses Rego bodies, expressions and terms (everything below a rule head), following OPA's grammar.
//
// Operator precedence, from loosest to tightest, is OPA's (ast/parser.go):
//   `=` `:=` (top of an expression only) < `in` < `== != < <= > >=` < `|` < `&` < `+ -` < `* / %`
// all left-associative. A ref or call continues a term only when `.`, `[` or `(` follows
// with no space in between, as in OPA.

import {
  MEMBER_BUILTIN,
  MEMBER_WITH_KEY_BUILTIN,
  OPERATOR_BUILTINS,
  type Body,
  type CallTerm,
  type Expr,
  type Location,
  type RefTerm,
  type StringTerm,
  type Term,
  type VarTerm,
  type WithModifier,
} from './ast.ts';
import { ParseFailure, TokenCursor, type CursorState } from './cursor.ts';
import { ARITH_OPS, FACTOR_OPS, RELATION_OPS, type Token, type TokenKind } from './tokens.ts';

type Closer = '}' | ']' | 'eof';

const ROOT_DOCUMENTS = new Set(['data', 'input']);

interface CachedTerm {
  term: Term;
  end: number;
  wildcards: number;
}

export class TermParser extends TokenCursor {
  /** Terms already parsed at a token index: backtracking re-reads them in constant time. */
  private termCache = new Map<number, CachedTerm>();

  protected clearTermCache(): void {
    this.termCache.clear();
  }

  // -------------------------------------------------------------------------
  // Bodies and literals

  /** Expressions up to `end` (the opening bracket was consumed; the closer is consumed too). */
  protected parseBody(end: Closer): Body {
    this.enter();
    if (this.at(end)) this.fail(this.tok, 'found empty body');
    const body: Body = [];
    for (;;) {
      body.push(this.parseLiteral());
      if (this.at(';')) {
        this.next();
        continue;
      }
      if (this.at(end)) {
        this.next();
        this.leave();
        return body;
      }
      if (!this.tok.newlineBefore) {
        this.unexpected(this.tok, end === 'eof' ? 'a new line or `;`' : `a new line, \`;\` or \`${end}\``);
      }
    }
  }

  /** One expression of a body: `[not] expr [with …]`, `some …`, `every …`. */
  protected parseLiteral(): Expr {
    const start = this.tok;
    if (isCloser(start.kind)) this.unexpected(start, 'expression');
    let negated = false;
    if (this.atKeyword('not')) {
      this.next();
      negated = true;
    }
    if (this.atKeyword('some')) {
      if (negated) this.fail(this.tok, 'illegal negation of `some`');
      return this.parseSome();
    }
    if (this.atKeyword('every')) {
      if (negated) this.fail(this.tok, 'illegal negation of `every`');
      return this.parseEvery();
    }
    if (this.tok.kind === 'ident' && this.tok.text === 'every' && !this.isKeywordWord('every') && this.peek().kind === 'ident') {
      this.hints.push('`import future.keywords.every` for `every x in xs { ... }` expressions');
    }
    const term = this.parseExprTerm();
    const expr: Expr = { negated, with: this.parseWithModifiers(), body: { kind: 'term', term }, loc: this.loc(start) };
    return expr;
  }

  /** `lhs = rhs`, `lhs := rhs`, or a single term. */
  protected parseExprTerm(): Term {
    const lhs = this.parseInfix(true);
    if (this.at('=') || this.at(':=')) {
      const op = this.next();
      const rhs = this.parseInfix(true);
      return this.operatorCall(op, [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  private parseWithModifiers(): WithModifier[] {
    const mods: WithModifier[] = [];
    while (this.atKeyword('with')) {
      const withTok = this.next();
      if (this.tok.kind !== 'ident' || this.isKeyword(this.tok)) this.unexpected(this.tok, 'a reference to replace after `with`');
      const target = this.parseTerm();
      let ref: RefTerm;
      if (target.type === 'ref') ref = target;
      else if (target.type === 'var') ref = { type: 'ref', head: target, path: [], loc: target.loc };
      else this.failAt(target.loc, 'expected a reference (like `input.x` or `data.p`) as `with` target');
      if (!this.atKeyword('as')) this.unexpected(this.tok, '`as`');
      this.next();
      mods.push({ target: ref, value: this.parseInfix(true), loc: this.loc(withTok) });
    }
    return mods;
  }

  private parseSome(): Expr {
    const someTok = this.next();
    const loc = this.loc(someTok);
    const s = this.save();
    let term: Term | undefined;
    try {
      term = this.parseInfix(true);
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      term = undefined;
    }
    if (term?.type === 'call') {
      const member = memberArity(term);
      if (member === 0) this.failAt(term.loc, 'expected `x in xs` or `k, v in xs` after `some`');
      const [a, b, c] = term.args as [Term, Term, Term?];
      const body = c === undefined
        ? { kind: 'somein' as const, value: a, collection: b }
        : { kind: 'somein' as const, key: a, value: b, collection: c };
      return { negated: false, with: this.parseWithModifiers(), body, loc };
    }
    this.restore(s);
    const vars: VarTerm[] = [];
    for (;;) {
      if (this.tok.kind !== 'ident' || this.isKeyword(this.tok)) this.unexpected(this.tok, 'variable after `some`');
      vars.push(this.varTerm(this.next()));
      if (!this.at(',')) break;
      this.next();
    }
    if (this.tok.kind === 'ident' && this.tok.text === 'in' && !this.isKeywordWord('in')) {
      this.hints.push('`import future.keywords.in` for `some x in xs` expressions');
    }
    return { negated: false, with: [], body: { kind: 'some', vars }, loc };
  }

  private parseEvery(): Expr {
    const everyTok = this.next();
    const term = this.parseInfix(true);
    const member = term.type === 'call' ? memberArity(term) : 0;
    if (term.type !== 'call' || member === 0) this.failAt(term.loc, 'expected `x in xs` or `k, v in xs` after `every`');
    const [a, b, c] = term.args as [Term, Term, Term?];
    const key = c === undefined ? undefined : a;
    const value = c === undefined ? a : b;
    const domain = c === undefined ? b : c;
    if (key !== undefined && key.type !== 'var') this.failAt(key.loc, 'expected key to be a variable in `every`');
    if (value.type !== 'var') this.failAt(value.loc, 'expected value to be a variable in `every`');
    if (!this.at('{')) this.unexpected(this.tok, '`{` starting the body of `every`');
    this.next();
    const body = this.parseBody('}');
    const every = key === undefined
      ? { kind: 'every' as const, value, domain, body }
      : { kind: 'every' as const, key: key as VarTerm, value, domain, body };
    return { negated: false, with: this.parseWithModifiers(), body: every, loc: this.loc(everyTok) };
  }

  // -------------------------------------------------------------------------
  // Infix operators

  /** An infix term; with `keyVal`, `k, v in xs` is accepted (not inside lists). */
  protected parseInfix(keyVal: boolean): Term {
    this.enter();
    let lhs = this.parseRelation();
    if (keyVal && this.at(',')) {
      const s = this.save();
      this.next();
      try {
        const mhs = this.parseRelation();
        if (this.atKeyword('in')) {
          this.next();
          const rhs = this.parseRelation();
          lhs = this.builtinCall(MEMBER_WITH_KEY_BUILTIN, [lhs, mhs, rhs], lhs.loc);
          lhs = this.parseInChain(lhs);
          this.leave();
          return lhs;
        }
      } catch (e) {
        // not `k, v in xs`: the comma belongs to the caller
        if (!(e instanceof ParseFailure)) throw e;
      }
      this.restore(s);
    }
    lhs = this.parseInChain(lhs);
    this.leave();
    return lhs;
  }

  private parseInChain(lhs: Term): Term {
    while (this.atKeyword('in')) {
      this.next();
      lhs = this.builtinCall(MEMBER_BUILTIN, [lhs, this.parseRelation()], lhs.loc);
    }
    return lhs;
  }

  private parseRelation(): Term {
    return this.parseBinary(RELATION_OPS, () => this.parseBinary(OR_OPS, () => this.parseBinary(AND_OPS, () =>
      this.parseBinary(ARITH_OPS, () => this.parseBinary(FACTOR_OPS, () => this.parseTerm())))));
  }

  private parseBinary(ops: ReadonlySet<TokenKind>, operand: () => Term): Term {
    let lhs = operand();
    while (ops.has(this.tok.kind)) {
      const op = this.next();
      lhs = this.operatorCall(op, [lhs, operand()], lhs.loc);
    }
    return lhs;
  }

  private operatorCall(op: Token, args: Term[], loc: Location): CallTerm {
    const name = OPERATOR_BUILTINS[op.kind as keyof typeof OPERATOR_BUILTINS];
    return { type: 'call', operator: nameRef(name, this.loc(op)), args, loc };
  }

  private builtinCall(name: string, args: Term[], loc: Location): CallTerm {
    return { type: 'call', operator: nameRef(name, loc), args, loc };
  }

  // -------------------------------------------------------------------------
  // Terms

  /** A primary term with its ref/call continuation. */
  protected parseTerm(): Term {
    const startPos = this.pos;
    const cached = this.termCache.get(startPos);
    if (cached) {
      this.pos = cached.end;
      this.wildcards = cached.wildcards;
      return cached.term;
    }
    this.enter();
    const tok = this.tok;
    const loc = this.loc(tok);
    let term: Term;
    switch (tok.kind) {
      case 'number':
        this.next();
        term = { type: 'number', text: this.checkNumber(tok, tok.text), loc };
        break;
      case '-':
        term = this.parseNegativeNumber();
        break;
      case '.':
        if (this.peek().kind === 'number' && !this.peek().spaceBefore) {
          this.next();
          term = { type: 'number', text: this.checkNumber(tok, '.' + this.next().text), loc };
        } else {
          this.unexpected(tok, 'term');
        }
        break;
      case 'string':
        this.next();
        term = { type: 'string', value: tok.value ?? '', loc };
        break;
      case 'ident':
        term = this.parseWordTerm(tok);
        break;
      case '[':
        term = this.parseArray();
        break;
      case '{':
        term = this.parseSetOrObject();
        break;
      case '(': {
        this.next();
        term = this.parseInfix(true);
        if (!this.at(')')) this.unexpected(this.tok, '`)` closing the parenthesized expression');
        this.next();
        break;
      }
      default:
        this.unexpected(tok, 'term');
    }
    term = this.parseTermFinish(term, tok);
    this.termCache.set(startPos, { term, end: this.pos, wildcards: this.wildcards });
    this.leave();
    return term;
  }

  private parseWordTerm(tok: Token): Term {
    const loc = this.loc(tok);
    switch (tok.text) {
      case 'null':
        this.next();
        return { type: 'null', loc };
      case 'true':
      case 'false':
        this.next();
        return { type: 'boolean', value: tok.text === 'true', loc };
    }
    // `contains` outside rule heads is the builtin's name; other keywords start a term only as a ref head.
    if (this.isKeyword(tok) && tok.text !== 'contains' && !this.refFollows(this.pos)) this.unexpected(tok, 'term');
    return this.varTerm(this.next());
  }

  private parseNegativeNumber(): Term {
    const minus = this.next();
    const tok = this.tok;
    if (tok.kind === 'number') {
      this.next();
      return { type: 'number', text: this.checkNumber(tok, '-' + tok.text), loc: this.loc(minus) };
    }
    if (tok.kind === '.' && this.peek().kind === 'number' && !this.peek().spaceBefore) {
      this.next();
      return { type: 'number', text: this.checkNumber(tok, '-.' + this.next().text), loc: this.loc(minus) };
    }
    return this.unexpected(tok, 'a number: unary `-` can only be used with numeric literals');
  }

  /** Rejects what OPA rejects: leading zeros and absurd exponents. Returns the literal text. */
  private checkNumber(tok: Token, text: string): string {
    const digits = text.replace(/^-/, '');
    if (digits.length > 1 && digits[0] === '0' && digits[1] !== '.' && digits[1] !== 'e' && digits[1] !== 'E') {
      this.fail(tok, `expected number without leading zero: ${text}`);
    }
    const m = /^\.?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(digits);
    if (m && m[3] !== undefined) {
      const intDigits = (m[1] ?? '').replace(/^0+/, '').length;
      const magnitude = Number(m[3]) + intDigits;
      if (Math.abs(magnitude) > 30000) this.fail(tok, `number too big: ${text}`);
    }
    return text;
  }

  /** `.x`, `[e]` and `(args)` directly after a term make it a ref or a call. */
  private parseTermFinish(head: Term, startTok: Token): Term {
    const t = this.tok;
    if (!t.spaceBefore && (t.kind === '.' || t.kind === '[' || t.kind === '(')) return this.parseRefTail(head, startTok);
    if (head.type === 'var' && ROOT_DOCUMENTS.has(head.name)) return { type: 'ref', head, path: [], loc: head.loc };
    return head;
  }

  /** The continuation of a reference whose head was parsed; `startTok` is where the head began. */
  protected parseRefTail(head: Term, startTok: Token, spacedStart = false): Term {
    if (!REF_HEADS.has(head.type)) this.fail(startTok, `illegal ref (head cannot be ${termTypeName(head)})`);
    const path: Term[] = [];
    for (let first = true; ; first = false) {
      const t = this.tok;
      if (t.spaceBefore && !(first && spacedStart)) break;
      if (t.kind === '.') {
        this.next();
        const name = this.tok;
        if (name.kind !== 'ident' || name.spaceBefore) this.unexpected(name, 'a name after `.`');
        this.next();
        path.push({ type: 'string', value: name.text, loc: this.loc(name) });
      } else if (t.kind === '[') {
        this.next();
        path.push(this.parseInfix(true));
        if (!this.at(']')) this.unexpected(this.tok, '`]`');
        this.next();
      } else if (t.kind === '(') {
        const operator: RefTerm = { type: 'ref', head, path, loc: head.loc };
        const call = this.parseCallArgs(operator);
        const after = this.tok;
        if (!after.spaceBefore && (after.kind === '.' || after.kind === '[')) return this.parseRefTail(call, startTok);
        return call;
      } else {
        break;
      }
    }
    return { type: 'ref', head, path, loc: head.loc };
  }

  private parseCallArgs(operator: RefTerm): Term {
    this.next(); // (
    if (this.at(')')) {
      this.next();
      if (operator.path.length === 0 && operator.head.type === 'var' && operator.head.name === 'set') {
        return { type: 'set', items: [], loc: operator.loc };
      }
      return { type: 'call', operator, args: [], loc: operator.loc };
    }
    return { type: 'call', operator, args: this.parseTermList(')'), loc: operator.loc };
  }

  /** Comma-separated terms up to `end` (consumed); a trailing comma is allowed. */
  private parseTermList(end: TokenKind, items: Term[] = []): Term[] {
    if (this.at(end)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.parseInfix(false));
      if (this.at(end)) {
        this.next();
        return items;
      }
      if (!this.at(',')) this.unexpected(this.tok, `\`,\` or \`${end}\``);
      this.next();
      if (this.at(end)) {
        this.next();
        return items;
      }
    }
  }

  private parseArray(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.at(']')) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    let comprehension = true;
    if (this.at(',')) {
      comprehension = false;
      this.next();
    }
    const s = this.save();
    // A lone term first: `[x | body]` is a comprehension, not `or(x, body)`.
    const head = this.parseTerm();
    if (this.at(']')) {
      this.next();
      return { type: 'array', items: [head], loc };
    }
    if (this.at(',')) {
      this.next();
      return { type: 'array', items: this.parseTermList(']', [head]), loc };
    }
    if (this.at('|') && comprehension) {
      this.next();
      const body = this.tryBody(']');
      if (body) return { type: 'arraycompr', term: head, body, loc };
    }
    this.restore(s);
    return { type: 'array', items: this.parseTermList(']'), loc };
  }

  private parseSetOrObject(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.at('}')) {
      this.next();
      return { type: 'object', entries: [], loc };
    }
    let comprehension = true;
    if (this.at(',')) {
      comprehension = false;
      this.next();
    }
    const s = this.save();
    let head = this.parseTerm();
    if ((this.at('|') && comprehension) || this.at('}') || this.at(',')) return this.parseSet(s, head, comprehension, loc);
    if (this.at(':')) return this.parseObject(head, comprehension, loc);
    this.restore(s);
    head = this.parseInfix(false);
    if (this.at('}') || this.at(',')) return this.parseSet(s, head, false, loc);
    if (this.at(':')) return this.parseObject(head, comprehension, loc);
    return this.unexpected(this.tok, '`,`, `:` or `}` in set or object');
  }

  private parseSet(s: CursorState, head: Term, comprehension: boolean, loc: Location): Term {
    if (this.at('}')) {
      this.next();
      return { type: 'set', items: [head], loc };
    }
    if (this.at(',')) {
      this.next();
      return { type: 'set', items: this.parseTermList('}', [head]), loc };
    }
    // `|` after a lone term
    if (comprehension) {
      this.next();
      const body = this.tryBody('}');
      if (body) return { type: 'setcompr', term: head, body, loc };
    }
    this.restore(s);
    return { type: 'set', items: this.parseTermList('}'), loc };
  }

  private parseObject(key: Term, comprehension: boolean, loc: Location): Term {
    this.next(); // :
    const s = this.save();
    const value = this.parseTerm();
    if (comprehension && (this.at('}') || this.at(','))) return this.finishObject(key, value, loc);
    if (comprehension && this.at('|')) {
      const before = this.save();
      this.next();
      const body = this.tryBody('}');
      if (body) return { type: 'objectcompr', key, value, body, loc };
      this.restore(before);
    }
    this.restore(s);
    const v = this.parseInfix(false);
    if (this.at('}') || this.at(',')) return this.finishObject(key, v, loc);
    return this.unexpected(this.tok, '`,` or `}` in object');
  }

  private finishObject(key: Term, value: Term, loc: Location): Term {
    const entries: Array<[Term, Term]> = [[key, value]];
    if (this.at('}')) {
      this.next();
      return { type: 'object', entries, loc };
    }
    this.next(); // ,
    while (!this.at('}')) {
      const k = this.parseInfix(false);
      if (!this.at(':')) this.unexpected(this.tok, '`:` after object key');
      this.next();
      entries.push([k, this.parseInfix(false)]);
      if (this.at('}')) break;
      if (!this.at(',')) this.unexpected(this.tok, '`,` or `}` in object');
      this.next();
    }
    this.next();
    return { type: 'object', entries, loc };
  }

  /**
   * A comprehension body after `|`, or undefined when it fails at a `,` (then the
   * brackets hold a plain list with an `or` call, as OPA reads `[a | b, c]`).
   */
  private tryBody(end: Closer): Body | undefined {
    try {
      return this.parseBody(end);
    } catch (e) {
      if (e instanceof ParseFailure && this.at(',')) return undefined;
      throw e;
    }
  }

  protected varTerm(tok: Token): VarTerm {
    if (tok.text === '_') return { type: 'var', name: this.nextWildcard(), wildcard: true, loc: this.loc(tok) };
    return { type: 'var', name: tok.text, loc: this.loc(tok) };
  }
}

const OR_OPS: ReadonlySet<TokenKind> = new Set(['|']);
const AND_OPS: ReadonlySet<TokenKind> = new Set(['&']);
const REF_HEADS = new Set<Term['type']>(['var', 'array', 'object', 'set', 'arraycompr', 'setcompr', 'objectcompr', 'call']);

function isCloser(kind: TokenKind): boolean {
  return kind === '}' || kind === ']' || kind === ')' || kind === 'eof' || kind === ';' || kind === ',';
}

/** 2 for `x in xs`, 3 for `k, v in xs`, 0 for any other call. */
function memberArity(call: CallTerm): 0 | 2 | 3 {
  const name = refName(call.operator);
  if (name === MEMBER_BUILTIN && call.args.length === 2) return 2;
  if (name === MEMBER_WITH_KEY_BUILTIN && call.args.length === 3) return 3;
  return 0;
}

/** A dotted name as a ref: `internal.member_2` → var internal . "member_2". */
export function nameRef(name: string, loc: Location): RefTerm {
  const [first, ...rest] = name.split('.');
  const path: StringTerm[] = rest.map((value) => ({ type: 'string', value, loc }));
  return { type: 'ref', head: { type: 'var', name: first!, loc }, path, loc };
}

/** `count`, `time.now_ns`, `data.lib.f`; undefined when the ref is not a plain dotted name. */
export function refName(ref: RefTerm): string | undefined {
  if (ref.head.type !== 'var') return undefined;
  const parts = [ref.head.name];
  for (const p of ref.path) {
    if (p.type !== 'string') return undefined;
    parts.push(p.value);
  }
  return parts.join('.');
}

export function termTypeName(t: Term): string {
  switch (t.type) {
    case 'arraycompr':
      return 'array comprehension';
    case 'setcompr':
      return 'set comprehension';
    case 'objectcompr':
      return 'object comprehension';
    case 'var':
      return 'var';
    default:
      return t.type;
  }
}
