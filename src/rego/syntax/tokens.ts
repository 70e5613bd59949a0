// Token shapes produced by the lexer and the keyword sets of Rego's two dialects.

/** Punctuation and operators, longest first where one is a prefix of another. */
export const PUNCTUATION = [
  ':=', '==', '!=', '<=', '>=',
  '{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '|', '&',
  '=', '<', '>', '+', '-', '*', '/', '%',
] as const;
export type Punct = (typeof PUNCTUATION)[number];

export type TokenKind = 'ident' | 'number' | 'string' | 'eof' | 'illegal' | Punct;

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for strings: with quotes, undecoded). */
  text: string;
  /** Decoded value of a string literal; the lexer's message for an illegal token. */
  value?: string;
  line: number;
  /** Column counted in UTF-16 code units from 1. */
  col: number;
  /** Offsets in UTF-16 code units into the source. */
  offset: number;
  end: number;
  /** Whitespace or a comment separates this token from the previous one. */
  spaceBefore: boolean;
  /** A line break separates this token from the previous one. */
  newlineBefore: boolean;
}

/** Keywords of every Rego version. */
export const BASE_KEYWORDS: ReadonlySet<string> = new Set([
  'as', 'default', 'else', 'false', 'import', 'package', 'not', 'null', 'some', 'true', 'with',
]);

/** Keywords that v0 modules get only through `import future.keywords…` or `import rego.v1`. */
export const FUTURE_KEYWORDS: readonly string[] = ['contains', 'every', 'if', 'in'];

/** Every keyword of Rego v1. */
export const V1_KEYWORDS: ReadonlySet<string> = new Set([...BASE_KEYWORDS, ...FUTURE_KEYWORDS]);

export const ARITH_OPS: ReadonlySet<TokenKind> = new Set(['+', '-']);
export const FACTOR_OPS: ReadonlySet<TokenKind> = new Set(['*', '/', '%']);
export const RELATION_OPS: ReadonlySet<TokenKind> = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** How a token is named in an error message; `keyword` says whether the parser treats it as one. */
export function describeToken(tok: Token, keyword = false): string {
  switch (tok.kind) {
    case 'eof':
      return 'end of file';
    case 'string':
      return `string ${tok.text.length > 40 ? tok.text.slice(0, 37) + '…' : tok.text}`;
    case 'number':
      return `number ${tok.text}`;
    case 'ident':
      return keyword ? `keyword \`${tok.text}\`` : `\`${tok.text}\``;
    default:
      return `\`${tok.text}\``;
  }
}
