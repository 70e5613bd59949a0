// Splits Rego source text into tokens with line/column positions, in one linear pass.
//
// The lexer knows no dialect: every word is an `ident`, and the parser decides which
// words are keywords (that depends on the module's Rego version and its imports).
// Problems (an unterminated string, a stray character) become `illegal` tokens whose
// `value` is the message, so that the parser reports them where it meets them.

import { PUNCTUATION, type Punct, type Token, type TokenKind } from './tokens.ts';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not content
  let line = 1;
  let lineStart = i;
  let spaceBefore = false;
  let newlineBefore = false;

  const push = (kind: TokenKind, start: number, end: number, startLine: number, startCol: number, value?: string) => {
    const tok: Token = {
      kind,
      text: text.slice(start, end),
      line: startLine,
      col: startCol,
      offset: start,
      end,
      spaceBefore,
      newlineBefore,
    };
    if (value !== undefined) tok.value = value;
    tokens.push(tok);
    spaceBefore = false;
    newlineBefore = false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
      spaceBefore = true;
      continue;
    }
    if (c === 0x0a) {
      i++;
      line++;
      lineStart = i;
      spaceBefore = true;
      newlineBefore = true;
      continue;
    }
    // comment to end of line
    if (c === 0x23 /* # */) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      spaceBefore = true;
      continue;
    }
    const start = i;
    const col = i - lineStart + 1;
    const startLine = line;

    if (isIdentStart(c) || (c >= 0x80 && isUnicodeLetter(text, i))) {
      i += c >= 0x80 ? String.fromCodePoint(text.codePointAt(i) ?? c).length : 1;
      for (;;) {
        const d = text.charCodeAt(i);
        if (isIdentPart(d)) i++;
        else if (d >= 0x80 && isUnicodeLetter(text, i, true)) i += String.fromCodePoint(text.codePointAt(i) ?? d).length;
        else break;
      }
      push('ident', start, i, startLine, col);
      continue;
    }
    if (c >= 0x80) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
      i += ch.length;
      push('illegal', start, i, startLine, col, `illegal character \`${ch}\``);
      continue;
    }
    if (isDigit(c)) {
      const problem = scanNumber();
      push(problem ? 'illegal' : 'number', start, i, startLine, col, problem);
      continue;
    }
    if (c === 0x22 /* " */) {
      i++;
      let escaped = false;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x0a) break;
        i++;
        if (d === 0x5c /* \ */) {
          escaped = true;
          if (i < n && text.charCodeAt(i) !== 0x0a) i++;
          continue;
        }
        if (d === 0x22) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        push('illegal', start, i, startLine, col, 'non-terminated string');
        continue;
      }
      const lit = text.slice(start, i);
      const decoded = escaped ? decodeEscapes(lit) : lit.slice(1, -1);
      if (decoded === undefined) push('illegal', start, i, startLine, col, `illegal string literal: ${lit}`);
      else push('string', start, i, startLine, col, decoded);
      continue;
    }
    if (c === 0x60 /* ` */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 0x60) {
        if (text.charCodeAt(i) === 0x0a) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= n) {
        push('illegal', start, i, startLine, col, 'non-terminated raw string');
        continue;
      }
      i++;
      push('string', start, i, startLine, col, text.slice(start + 1, i - 1));
      continue;
    }
    const punct = matchPunct(text, i);
    if (punct) {
      i += punct.length;
      push(punct, start, i, startLine, col);
      continue;
    }
    i++;
    push('illegal', start, i, startLine, col, `illegal character \`${text[start]}\``);
  }
  push('eof', n, n, line, n - lineStart + 1);
  return tokens;

  /** Digits, an optional fraction and exponent; returns a message when malformed. */
  function scanNumber(): string | undefined {
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    let problem: string | undefined;
    if (text.charCodeAt(i) === 0x2e /* . */ && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(text.charCodeAt(i))) problem = 'expected exponent';
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < n && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      while (i < n && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2e)) i++;
      problem = `illegal number format: ${text.slice(start, i)}`;
    }
    return problem;
  }
}

/** Decodes a double-quoted literal with JSON's escapes; undefined when an escape is invalid. */
function decodeEscapes(lit: string): string | undefined {
  try {
    const v: unknown = JSON.parse(lit);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function matchPunct(text: string, i: number): Punct | undefined {
  const two = text.slice(i, i + 2);
  for (const p of PUNCTUATION) {
    if (p.length === 2 ? p === two : p === text[i]) return p;
  }
  return undefined;
}

function isUnicodeLetter(text: string, i: number, orDigit = false): boolean {
  const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
  return orDigit ? /[\p{L}\p{Nd}]/u.test(ch) : /\p{L}/u.test(ch);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
