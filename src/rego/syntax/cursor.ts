// The parser's position in the token stream: keyword set, error collection, backtracking state.

import type { Location, RegoError } from './ast.ts';
import { tokenize } from './lexer.ts';
import { BASE_KEYWORDS, describeToken, type Token, type TokenKind } from './tokens.ts';

/**
 * Thrown inside the parser to abandon a statement or an attempt; caught at statement
 * level, never escapes. Not an Error subclass on purpose: backtracking throws these
 * often, and capturing a stack trace each time would dominate parse time.
 */
export class ParseFailure {
  constructor(
    readonly error: RegoError,
    /** Index of the token where parsing failed (recovery resumes after it). */
    readonly pos: number,
  ) {}
}

/** What `save()` captures so that a failed attempt can be undone. */
export interface CursorState {
  pos: number;
  wildcards: number;
  errors: number;
  hints: number;
  depth: number;
}

const MAX_DEPTH = 1000;

export class TokenCursor {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected wildcards = 0;
  protected depth = 0;
  readonly errors: RegoError[] = [];
  /** Future keywords (`in`, `every`, `if`, `contains`) switched on for the rest of the file. */
  protected readonly futureKeywords = new Set<string>();
  /** Extra advice appended to the next hard failure (e.g. a missing future-keyword import). */
  protected hints: string[] = [];

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.tokens = tokenize(text);
  }

  protected get tok(): Token {
    return this.tokens[this.pos]!;
  }

  protected peek(k = 1): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  protected at(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }

  /** Is `word` a keyword at this point of the file? */
  protected isKeywordWord(word: string): boolean {
    return BASE_KEYWORDS.has(word) || this.futureKeywords.has(word);
  }

  protected isKeyword(tok: Token, word?: string): boolean {
    return tok.kind === 'ident' && (word === undefined || tok.text === word) && this.isKeywordWord(tok.text);
  }

  /** The current token is keyword `word`, and not the head of a ref like `else.x` or `not[0]`. */
  protected atKeyword(word: string): boolean {
    return this.isKeyword(this.tok, word) && !this.refFollows(this.pos);
  }

  /** The token after `index` continues a reference directly (`.` or `[` with no space). */
  protected refFollows(index: number): boolean {
    const after = this.tokens[index + 1];
    return after !== undefined && !after.spaceBefore && (after.kind === '.' || after.kind === '[');
  }

  protected loc(tok: Token): Location {
    return { file: this.file, line: tok.line, col: tok.col };
  }

  protected save(): CursorState {
    return {
      pos: this.pos,
      wildcards: this.wildcards,
      errors: this.errors.length,
      hints: this.hints.length,
      depth: this.depth,
    };
  }

  protected restore(s: CursorState): void {
    this.pos = s.pos;
    this.wildcards = s.wildcards;
    this.errors.length = s.errors;
    this.hints.length = s.hints;
    this.depth = s.depth;
  }

  protected nextWildcard(): string {
    return `$_${this.wildcards++}`;
  }

  /** Records an error without abandoning the statement. */
  protected report(loc: Location, message: string): void {
    this.errors.push({ code: 'rego_parse_error', message, loc });
  }

  protected failAt(loc: Location, message: string): never {
    const hint = this.hints.length > 0 ? ` (hint: ${this.hints.join('; ')})` : '';
    this.hints = [];
    throw new ParseFailure({ code: 'rego_parse_error', message: message + hint, loc }, this.pos);
  }

  protected fail(tok: Token, message: string): never {
    if (tok.kind === 'illegal') this.failAt(this.loc(tok), tok.value ?? 'illegal token');
    return this.failAt(this.loc(tok), message);
  }

  /** "unexpected `}`: expected expression" */
  protected unexpected(tok: Token, expected: string): never {
    return this.fail(tok, `unexpected ${describeToken(tok, this.isKeyword(tok))}: expected ${expected}`);
  }

  protected expect(kind: TokenKind, expected = `\`${kind}\``): Token {
    if (this.tok.kind !== kind) this.unexpected(this.tok, expected);
    return this.next();
  }

  /** Guards recursion so that deeply nested input yields an error, not a stack overflow. */
  protected enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.fail(this.tok, 'nesting too deep: max parsing recursion depth exceeded');
    }
  }

  protected leave(): void {
    this.depth--;
  }

  /** After a failed statement: skip to the first line break at bracket depth 0 after the failure. */
  protected recover(start: number, failedAt: number): void {
    let depth = 0;
    const from = Math.max(failedAt, start + 1);
    for (let i = start; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (i >= from && t.kind !== 'eof' && t.newlineBefore && depth <= 0) {
        this.pos = i;
        return;
      }
      if (t.kind === 'eof' && depth <= 0) {
        this.pos = i;
        return;
      }
      if (t.kind === '{' || t.kind === '[' || t.kind === '(') depth++;
      else if (t.kind === '}' || t.kind === ']' || t.kind === ')') depth = Math.max(0, depth - 1);
    }
    // Unbalanced brackets: resume at the next line that starts in column 1 (not with a closer).
    for (let i = from; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      const closer = t.kind === '}' || t.kind === ']' || t.kind === ')';
      if (t.kind === 'eof' || (t.newlineBefore && t.col === 1 && !closer)) {
        this.pos = i;
        return;
      }
    }
    this.pos = this.tokens.length - 1;
  }
}
