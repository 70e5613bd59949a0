// Parses Rego bodies and expressions: literals (`not`, `some`, `every`, `with`) and infix operators.
//
// Operator precedence, from loosest to tightest, is OPA's (ast/parser.go):
//   `=` `:=` (top of an expression only) < `in` < `== != < <= > >=` < `|` < `&` < `+ -` < `* / %`
// all left-associative; each operator becomes a call to its builtin (OPERATOR_BUILTINS).

import {
  MEMBER_BUILTIN,
  MEMBER_WITH_KEY_BUILTIN,
  OPERATOR_BUILTINS,
  type Body,
  type CallTerm,
  type Expr,
  type Location,
  type RefTerm,
  type Term,
  type VarTerm,
  type WithModifier,
} from './ast.ts';
import { ParseFailure } from './cursor.ts';
import { TermParser, nameRef, refName, type Closer } from './terms.ts';
import { ARITH_OPS, FACTOR_OPS, RELATION_OPS, type Token, type TokenKind } from './tokens.ts';

export class ExprParser extends TermParser {
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

}

const OR_OPS: ReadonlySet<TokenKind> = new Set(['|']);
const AND_OPS: ReadonlySet<TokenKind> = new Set(['&']);

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
