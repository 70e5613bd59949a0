// Parses rule statements (heads, bodies, `else` chains, several bodies) and applies Rego v1's rule checks.
//
// Follows OPA's parseRules/parseHead/parseElse plus the rules OPA derives from body-less
// statements (`p := 1`, `f(x) = y`, `p[x]`, `a.b.c`). How a head becomes a RuleKind:
//   function       — written with arguments
//   partialSet     — `p contains x`, or v0 `p[x] { … }` / `p[x]` with no value: ref `p`, key x
//   partialObject  — a value and a ref whose last element is not a string: `p[k] := v`,
//                    `a.b[k] := v`, v1 `p[k] if …` (value true): ref includes k, key k
//   complete       — everything else: `p := 1`, `p if …`, `a.b.c := 1`, `p["a"] := 1`

import { type Body, type Location, type RefTerm, type Rule, type RuleHead, type RuleKind, type Term } from './ast.ts';
import { ParseFailure } from './cursor.ts';
import { ExprParser } from './expressions.ts';
import { refName, termTypeName } from './terms.ts';
import { ARITH_OPS, FACTOR_OPS, RELATION_OPS, V1_KEYWORDS, type Token } from './tokens.ts';

/** How a rule was written; Rego v1's checks need it and the AST does not keep it. */
interface RuleFacts {
  hasIf: boolean;
  usesContains: boolean;
  generatedBody: boolean;
  generatedValue: boolean;
  isDefault: boolean;
}

/** A rule head as parsed, before its kind is decided. */
type HeadSpec = Omit<RuleHead, 'kind'>;

export class RuleParser extends ExprParser {
  private readonly ruleFacts = new Map<Rule, RuleFacts>();

  /** One rule statement; several bodies (`p { a } { b }`) give several rules. */
  protected parseRuleStatement(): Rule[] {
    const startTok = this.tok;
    const startLoc = this.loc(startTok);
    let isDefault = false;
    if (this.atKeyword('default')) {
      this.next();
      isDefault = true;
    }
    const headTok = this.tok;
    const spec = this.parseHead(headTok, isDefault);
    const refLen = 1 + spec.ref.path.length;

    let usesContains = false;
    if (this.atKeyword('contains')) {
      if (spec.args) {
        this.fail(this.tok, `the contains keyword can only be used with multi-value rule definitions (e.g., ${refText(spec.ref)} contains <VALUE> { ... })`);
      }
      this.next();
      spec.key = this.parseInfix(true);
      usesContains = true;
    } else if (this.at('=') || this.at(':=')) {
      spec.assign = this.next().kind === ':=';
      spec.value = this.parseInfix(true);
    } else {
      this.adviseFutureKeyword();
    }

    let generatedValue = false;
    if (!usesContains && spec.value === undefined && (refLen !== 2 || spec.args)) {
      spec.value = trueTerm(spec.loc);
      generatedValue = spec.args === undefined;
    }

    if (isDefault) return [this.defaultRule(spec, startLoc)];

    const hasIf = this.atIf();
    if (hasIf && !usesContains && refLen === 2) {
      const v = spec.ref.path[0]!;
      if ((!isGround(v) || v.type === 'ref') && !spec.args) spec.key = v;
      if (spec.value === undefined) {
        spec.value = trueTerm(spec.loc);
        generatedValue = true;
      }
    }
    if (!hasIf && !usesContains && !spec.args && refLen === 2) {
      // v0 `p[x] { … }`: a partial set p, or a partial object when a value is given
      spec.key = spec.ref.path[0]!;
      if (spec.value === undefined) spec.ref = { ...spec.ref, path: [] };
    }

    const facts: RuleFacts = { hasIf, usesContains, generatedBody: false, generatedValue, isDefault: false };
    let body: Body;
    if (hasIf) {
      this.next();
      body = this.parseIfBody();
    } else if (this.at('{')) {
      this.next();
      body = this.parseBody('}');
    } else {
      // No body: `p := 1`, `f(x) = y`, `p[x]`, `a.b.c`, `p contains x`.
      if (!usesContains && spec.value !== undefined && generatedValue && refLen === 1) {
        this.failAt(spec.loc, `var cannot be used for rule name: \`${refText(spec.ref)}\` needs a value (\`:=\`) or a body`);
      }
      facts.generatedBody = true;
      return [this.makeRule(spec, [], startLoc, facts)];
    }

    const rule = this.makeRule(spec, body, startLoc, facts);
    if (this.atKeyword('else')) {
      if (refLen > 1 && !spec.ref.path.every(isGround)) this.fail(this.tok, 'else keyword cannot be used on rules with variables in head');
      if (spec.key !== undefined) this.fail(this.tok, 'else keyword cannot be used on multi-value rules');
      rule.else = this.parseElse(spec);
    }

    const rules = [rule];
    while (this.at('{')) {
      const open = this.tok;
      if (rule.else) this.fail(open, 'expected else keyword');
      if (spec.assign) {
        this.report(this.loc(open), `rule \`${refText(spec.ref)}\` is defined with \`:=\` and cannot have several bodies (use separate rules)`);
      }
      this.next();
      const more = this.parseBody('}');
      const loc = this.loc(open);
      const again: HeadSpec = { ...spec, loc };
      if (spec.args) again.args = this.freshWildcards(spec.args);
      rules.push(this.makeRule(again, more, loc, { ...facts }));
    }
    return rules;
  }

  /** Rego v1's per-rule checks (OPA's checkRegoV1Rule), for modules that are v1. */
  protected checkRegoV1(rule: Rule): void {
    for (let r: Rule | undefined = rule; r; r = r.else) {
      const facts = this.ruleFacts.get(r);
      if (!facts) continue;
      const what = r.head.kind === 'function' ? 'function' : 'rule';
      const name = refText(r.head.ref);
      if (r.head.ref.path.length === 0 && V1_KEYWORDS.has(name)) this.report(r.loc, `${name} keyword cannot be used for rule name`);
      if (facts.generatedBody && facts.generatedValue) this.report(r.loc, `${what} must have value assignment and/or body declaration`);
      if (!facts.generatedBody && !facts.hasIf && !facts.isDefault) this.report(r.loc, `\`if\` keyword is required before ${what} body`);
      if (r.head.kind === 'partialSet' && !facts.usesContains) this.report(r.loc, '`contains` keyword is required for partial set rules');
    }
  }

  private parseHead(headTok: Token, isDefault: boolean): HeadSpec {
    if (headTok.kind !== 'ident') {
      if (headTok.kind === 'string' || headTok.kind === 'number') this.fail(headTok, `${headTok.kind} cannot be used for rule name`);
      this.unexpected(headTok, isDefault ? 'rule name after `default`' : 'rule, `import` or `package`');
    }
    const word = headTok.text;
    if ((word === 'true' || word === 'false' || word === 'null') && !this.refFollows(this.pos)) {
      this.fail(headTok, `${word === 'null' ? 'null' : 'boolean'} cannot be used for rule name`);
    }
    if (this.isKeyword(headTok) && !this.refFollows(this.pos)) this.unexpected(headTok, 'rule name');
    const name = this.varTerm(this.next());
    const t = this.tok;
    let head: Term = name;
    if (!t.newlineBefore && (t.kind === '.' || t.kind === '[' || t.kind === '(')) head = this.parseRefTail(name, headTok, true);
    else if (RELATION_OPS.has(t.kind) || ARITH_OPS.has(t.kind) || FACTOR_OPS.has(t.kind) || t.kind === '&' || t.kind === '|') {
      this.unexpected(t, 'rule value (`:=` or `=`) or body after rule head');
    }
    const loc = this.loc(headTok);
    switch (head.type) {
      case 'var':
        return { ref: { type: 'ref', head, path: [], loc }, assign: false, loc };
      case 'ref':
        if (head.head.type !== 'var') this.failAt(loc, `invalid rule head: a rule name cannot be a ${termTypeName(head.head)}`);
        return { ref: head, assign: false, loc };
      case 'call':
        if (head.operator.head.type !== 'var') this.failAt(loc, 'invalid rule head');
        return { ref: head.operator, args: head.args, assign: false, loc };
      default:
        return this.failAt(loc, `invalid rule head: ${termTypeName(head)}`);
    }
  }

  /** After `if`: one expression, or a `{ … }` block (a set literal is never a body). */
  private parseIfBody(): Body {
    if (!this.at('{')) return [this.parseLiteral()];
    const s = this.save();
    try {
      const expr = this.parseLiteral();
      if (!(expr.body.kind === 'term' && expr.body.term.type === 'set')) return [expr];
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
    }
    this.restore(s);
    this.next();
    return this.parseBody('}');
  }

  private parseElse(first: HeadSpec): Rule {
    const elseTok = this.next();
    const loc = this.loc(elseTok);
    const spec: HeadSpec = { ref: first.ref, assign: false, loc };
    if (first.args) spec.args = this.freshWildcards(first.args);
    let generatedValue = false;
    if (this.at('{') || this.atIf()) {
      spec.value = trueTerm(loc);
      generatedValue = true;
    } else if (this.at('=') || this.at(':=')) {
      spec.assign = this.next().kind === ':=';
      spec.value = this.parseInfix(true);
    } else {
      this.unexpected(this.tok, 'else value (`= <value>`) or rule body');
    }
    const hasIf = this.atIf();
    let body: Body = [];
    const generatedBody = !hasIf && !this.at('{');
    if (!generatedBody) {
      if (hasIf) this.next();
      if (this.at('{')) {
        this.next();
        body = this.parseBody('}');
      } else {
        body = [this.parseLiteral()];
      }
    }
    const rule = this.makeRule(spec, body, loc, { hasIf, usesContains: false, generatedBody, generatedValue, isDefault: false });
    if (this.atKeyword('else')) rule.else = this.parseElse(first);
    return rule;
  }

  private defaultRule(spec: HeadSpec, loc: Location): Rule {
    if (spec.value === undefined) this.failAt(loc, 'illegal default rule (must have a value)');
    const bad = forbiddenInDefault(spec.value);
    if (bad) this.report(loc, `illegal default rule (value cannot contain ${bad})`);
    const seen = new Set<string>();
    for (const arg of spec.args ?? []) {
      if (arg.type !== 'var') this.report(loc, `illegal default rule (arguments cannot contain ${termTypeName(arg)})`);
      else if (seen.has(arg.name)) this.report(loc, `illegal default rule (arguments cannot be repeated ${arg.name})`);
      else seen.add(arg.name);
    }
    return this.makeRule(spec, [], loc, {
      hasIf: false,
      usesContains: false,
      generatedBody: false,
      generatedValue: false,
      isDefault: true,
    });
  }

  private makeRule(spec: HeadSpec, body: Body, loc: Location, facts: RuleFacts): Rule {
    const head: RuleHead = { kind: ruleKind(spec), ref: spec.ref, assign: spec.assign, loc: spec.loc };
    if (spec.args) head.args = spec.args;
    if (head.kind === 'partialSet') head.key = spec.key;
    if (head.kind === 'partialObject') head.key = spec.ref.path[spec.ref.path.length - 1];
    if (spec.value !== undefined) head.value = spec.value;
    const rule: Rule = { default: facts.isDefault, head, body, loc };
    this.ruleFacts.set(rule, facts);
    return rule;
  }

  private freshWildcards(args: Term[]): Term[] {
    return args.map((a) => (a.type === 'var' && a.wildcard ? { ...a, name: this.nextWildcard() } : a));
  }

  /**
   * `if` after a rule head. A v0 module without the import also gets it here (regorus
   * accepts this and the conformance corpus relies on it; OPA would reject it): a var
   * named `if` can never follow a rule head, so nothing valid changes meaning.
   */
  private atIf(): boolean {
    return this.atKeyword('if') || (this.tok.kind === 'ident' && this.tok.text === 'if' && !this.refFollows(this.pos));
  }

  /** In a v0 module, `p contains x` without the import: say which import is missing. */
  private adviseFutureKeyword(): void {
    const t = this.tok;
    if (t.kind === 'ident' && t.text === 'contains' && !this.isKeywordWord(t.text)) {
      this.hints.push(`\`import rego.v1\` or \`import future.keywords.${t.text}\` to use \`${t.text}\` in rule heads`);
      this.unexpected(t, 'rule value or body');
    }
  }
}

function ruleKind(spec: HeadSpec): RuleKind {
  if (spec.args) return 'function';
  if (spec.key !== undefined && spec.value === undefined) return 'partialSet';
  const last = spec.ref.path[spec.ref.path.length - 1];
  if (spec.value !== undefined && last !== undefined && last.type !== 'string') return 'partialObject';
  return 'complete';
}

function trueTerm(loc: Location): Term {
  return { type: 'boolean', value: true, loc };
}

function refText(ref: RefTerm): string {
  return refName(ref) ?? (ref.head.type === 'var' ? ref.head.name : 'rule');
}

/** A term without variables, refs, calls or comprehensions. */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'var':
    case 'ref':
    case 'call':
    case 'arraycompr':
    case 'setcompr':
    case 'objectcompr':
      return false;
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.entries.every(([k, v]) => isGround(k) && isGround(v));
  }
}

/** What makes a default value illegal: the first var, ref or call outside comprehensions. */
function forbiddenInDefault(t: Term): string | undefined {
  switch (t.type) {
    case 'var':
      return 'var';
    case 'ref':
      return 'ref';
    case 'call':
      return 'call';
    case 'array':
    case 'set':
      for (const i of t.items) {
        const bad = forbiddenInDefault(i);
        if (bad) return bad;
      }
      return undefined;
    case 'object':
      for (const [k, v] of t.entries) {
        const bad = forbiddenInDefault(k) ?? forbiddenInDefault(v);
        if (bad) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}
