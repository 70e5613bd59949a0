// Parses Rego terms: scalars, vars, refs and calls, arrays, sets, objects and comprehensions.
//
// A ref or call continues a term only when `.`, `[` or `(` follows with no space in
// between, as in OPA. Bodies (for comprehensions) and infix terms (for list elements)
// come from the expression parser that extends this class.

import type { Body, Location, RefTerm, StringTerm, Term, VarTerm } from './ast.ts';
import { ParseFailure, TokenCursor, type CursorState } from './cursor.ts';
import type { Token, TokenKind } from './tokens.ts';

export type Closer = '}' | ']' | 'eof';

const ROOT_DOCUMENTS = new Set(['data', 'input']);

interface CachedTerm {
  term: Term;
  end: number;
  wildcards: number;
}

export abstract class TermParser extends TokenCursor {
  /** Terms already parsed at a token index: backtracking re-reads them in constant time. */
  private termCache = new Map<number, CachedTerm>();

  protected clearTermCache(): void {
    this.termCache.clear();
  }

  /** Expressions up to `end` (the opening bracket was consumed; the closer is consumed too). */
  protected abstract parseBody(end: Closer): Body;

  /** An infix term; with `keyVal`, `k, v in xs` is accepted (not inside lists). */
  protected abstract parseInfix(keyVal: boolean): Term;


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

  /** After a `.` in a reference: the name that follows, as a string element. */
  protected parseDottedName(): StringTerm {
    this.next();
    const name = this.tok;
    if (name.kind !== 'ident' || name.spaceBefore) this.unexpected(name, 'a name after `.`');
    this.next();
    return { type: 'string', value: name.text, loc: this.loc(name) };
  }

  /** The continuation of a reference whose head was parsed; `startTok` is where the head began. */
  protected parseRefTail(head: Term, startTok: Token, spacedStart = false): Term {
    if (!REF_HEADS.has(head.type)) this.fail(startTok, `illegal ref (head cannot be ${termTypeName(head)})`);
    const path: Term[] = [];
    for (let first = true; ; first = false) {
      const t = this.tok;
      if (t.spaceBefore && !(first && spacedStart)) break;
      if (t.kind === '.') {
        path.push(this.parseDottedName());
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

const REF_HEADS = new Set<Term['type']>(['var', 'array', 'object', 'set', 'arraycompr', 'setcompr', 'objectcompr', 'call']);

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
