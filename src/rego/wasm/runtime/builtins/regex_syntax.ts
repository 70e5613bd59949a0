// RE2-syntax regular expression parser: pattern bytes → syntax tree in raw memory (Go regexp/syntax rules, Perl flags).
//
// Supported: literals, `.`, classes `[...]` (ranges, negation, POSIX `[:alpha:]`, Perl escapes),
// `\d \w \s \D \W \S`, `\pL`/`\p{Greek}` (approximate tables), `\b \B \A \z ^ $`, escapes
// (`\n \t \x41 \x{263a} \0..` and any escaped punctuation), `\Q...\E`, groups `( )`, `(?: )`,
// `(?P<name> )`, `(?<name> )`, flags `(?imsU)` / `(?i: )`, alternation, `* + ? {n} {n,} {n,m}`
// with lazy `?`. Like RE2: no backreferences, no lookaround; repeat counts ≤ 1000.
// A parse failure sets `reErrorAt` >= 0 and returns 0.

import { malloc } from '../memory';
import { decodeRune, runeWidth } from './byte_buffer';

// Node kinds.
export const N_EMPTY: u32 = 0;
export const N_LIT: u32 = 1; // a = rune, b = fold
export const N_CLASS: u32 = 2; // a = ranges ptr (u32 lo,hi pairs), b = count, c = flags (1 neg, 2 fold)
export const N_ANY: u32 = 3; // a = 1 when it also matches '\n'
export const N_ASSERT: u32 = 4; // a = assertion kind
export const N_CAT: u32 = 5; // a = children ptr (u32[]), b = count
export const N_ALT: u32 = 6; // a = children ptr, b = count
export const N_REPEAT: u32 = 7; // a = child, b = min, c = max (-1 = unbounded), d = greedy
export const N_CAPTURE: u32 = 8; // a = child, b = group index

// Assertion kinds.
export const A_BEGIN_TEXT: u32 = 1;
export const A_END_TEXT: u32 = 2;
export const A_BEGIN_LINE: u32 = 3;
export const A_END_LINE: u32 = 4;
export const A_WORD: u32 = 5;
export const A_NOT_WORD: u32 = 6;

const F_FOLD: u32 = 1;
const F_MULTILINE: u32 = 2;
const F_DOTNL: u32 = 4;
const F_UNGREEDY: u32 = 8;

const MAX_REPEAT: i32 = 1000;

/** Byte offset of the parse error, or -1 after a successful parse. */
export let reErrorAt: i32 = -1;
/** Number of capture groups of the last successful parse (group 0 excluded). */
export let reGroupCount: u32 = 0;
/** Names of groups: ptr to (u32 ptr, u32 len) per group index 0..reGroupCount (len 0 = unnamed). */
export let reGroupNames: usize = 0;

// Parser state (module globals: one parse at a time, no re-entrancy needed).
let src: usize = 0;
let srcLen: u32 = 0;
let pos: u32 = 0;
let flags: u32 = 0;
let depth: u32 = 0;
let namesCap: u32 = 0;

/** Parses pattern bytes; returns the root node or 0 (see reErrorAt). */
export function parseRegex(p: usize, n: u32): usize {
  src = p;
  srcLen = n;
  pos = 0;
  flags = 0;
  depth = 0;
  reErrorAt = -1;
  reGroupCount = 0;
  namesCap = 8;
  reGroupNames = malloc(namesCap << 3);
  store<u64>(reGroupNames, 0);
  const root = parseAlternation();
  if (reErrorAt >= 0) return 0;
  if (pos < srcLen) return fail(); // unmatched ')'
  return root;
}

function fail(): usize {
  if (reErrorAt < 0) reErrorAt = <i32>pos;
  return 0;
}

export function newNode(kind: u32, a: u32, b: u32, c: u32, d: u32): usize {
  const node = malloc(20);
  store<u32>(node, kind);
  store<u32>(node, a, 4);
  store<u32>(node, b, 8);
  store<u32>(node, c, 12);
  store<u32>(node, d, 16);
  return node;
}

@inline export function nodeKind(node: usize): u32 { return load<u32>(node); }
@inline export function nodeA(node: usize): u32 { return load<u32>(node, 4); }
@inline export function nodeB(node: usize): u32 { return load<u32>(node, 8); }
@inline export function nodeC(node: usize): u32 { return load<u32>(node, 12); }
@inline export function nodeD(node: usize): u32 { return load<u32>(node, 16); }

// ---------------------------------------------------------------- node lists

/** A growable list of node pointers: [u32 data][u32 len][u32 cap]. */
function listNew(): usize {
  const l = malloc(12);
  store<u32>(l, <u32>malloc(32));
  store<u32>(l, 0, 4);
  store<u32>(l, 8, 8);
  return l;
}

function listPush(l: usize, x: usize): void {
  const len = load<u32>(l, 4);
  const cap = load<u32>(l, 8);
  if (len == cap) {
    const data = malloc(<usize>cap << 3);
    memory.copy(data, load<u32>(l), <usize>len << 2);
    store<u32>(l, <u32>data);
    store<u32>(l, cap << 1, 8);
  }
  store<u32>(load<u32>(l) + (<usize>len << 2), <u32>x);
  store<u32>(l, len + 1, 4);
}

function listToNode(l: usize, kind: u32): usize {
  const len = load<u32>(l, 4);
  if (len == 0) return newNode(N_EMPTY, 0, 0, 0, 0);
  if (len == 1) return load<u32>(load<u32>(l));
  return newNode(kind, load<u32>(l), len, 0, 0);
}

// ---------------------------------------------------------------- grammar

@inline function peek(): u32 {
  return pos < srcLen ? <u32>load<u8>(src + pos) : 0xffffffff;
}

function parseAlternation(): usize {
  const saved = flags;
  const alts = listNew();
  let more = true;
  while (more) {
    const c = parseConcat();
    if (reErrorAt >= 0) return 0;
    listPush(alts, c);
    more = peek() == 0x7c; /* | */
    if (more) pos++;
  }
  flags = saved;
  return listToNode(alts, N_ALT);
}

function parseConcat(): usize {
  const items = listNew();
  let lastWasRepeat = false;
  while (pos < srcLen) {
    const c = peek();
    if (c == 0x7c || c == 0x29) break; // | )
    if (c == 0x2a || c == 0x2b || c == 0x3f || (c == 0x7b && isRepeatBrace())) {
      // * + ? {n,m}
      const len = load<u32>(items, 4);
      if (len == 0) return fail(); // missing argument to repetition operator
      if (lastWasRepeat) return fail(); // invalid nested repetition operator
      let min: i32 = 0;
      let max: i32 = -1;
      if (c == 0x2a) pos++;
      else if (c == 0x2b) { min = 1; pos++; }
      else if (c == 0x3f) { max = 1; pos++; }
      else {
        pos++;
        min = parseInt();
        max = min;
        if (peek() == 0x2c) {
          pos++;
          max = peek() == 0x7d ? -1 : parseInt();
        }
        pos++; // '}'
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) return fail(); // invalid repeat count
      }
      let greedy: u32 = 1;
      if (peek() == 0x3f) {
        pos++;
        greedy = 0;
      }
      if (flags & F_UNGREEDY) greedy ^= 1;
      const slot = load<u32>(items) + (<usize>(len - 1) << 2);
      store<u32>(slot, <u32>newNode(N_REPEAT, load<u32>(slot), <u32>min, <u32>max, greedy));
      lastWasRepeat = true;
      continue;
    }
    lastWasRepeat = false;
    if (c == 0x28 /* ( */) {
      const node = parseGroup();
      if (reErrorAt >= 0) return 0;
      if (node != 0) listPush(items, node);
      continue;
    }
    if (c == 0x5c && pos + 1 < srcLen && load<u8>(src + pos + 1) == 0x51) {
      // \Q...\E: literal text
      pos += 2;
      while (pos < srcLen) {
        if (load<u8>(src + pos) == 0x5c && pos + 1 < srcLen && load<u8>(src + pos + 1) == 0x45) {
          pos += 2;
          break;
        }
        const r = decodeRune(src + pos, srcLen - pos);
        pos += runeWidth;
        listPush(items, literal(r));
      }
      continue;
    }
    const atom = parseAtom();
    if (reErrorAt >= 0) return 0;
    listPush(items, atom);
  }
  return listToNode(items, N_CAT);
}

/** True when the '{' at pos starts a well-formed {n}, {n,} or {n,m}; otherwise '{' is a literal. */
function isRepeatBrace(): bool {
  let i = pos + 1;
  const s = i;
  while (i < srcLen && isDigit(load<u8>(src + i))) i++;
  if (i == s) return false;
  if (i < srcLen && load<u8>(src + i) == 0x2c) {
    i++;
    while (i < srcLen && isDigit(load<u8>(src + i))) i++;
  }
  return i < srcLen && load<u8>(src + i) == 0x7d;
}

function parseInt(): i32 {
  let v: i32 = 0;
  while (pos < srcLen && isDigit(load<u8>(src + pos))) {
    if (v <= 100000) v = v * 10 + <i32>(load<u8>(src + pos) - 0x30);
    pos++;
  }
  return v;
}

@inline function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

function isWordByte(c: u32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

/** Parses '(' ... ')'. Returns 0 with no error for a pure flag group like (?i). */
function parseGroup(): usize {
  pos++; // (
  if (++depth > 1000) return fail();
  let capture = true;
  let nameP: u32 = 0;
  let nameL: u32 = 0;
  if (peek() == 0x3f /* ? */) {
    pos++;
    const c = peek();
    if (c == 0x50 /* P */ || c == 0x3c /* < */) {
      if (c == 0x50) {
        pos++;
        if (peek() != 0x3c) return fail();
      }
      pos++; // <
      const s = pos;
      while (pos < srcLen && isWordByte(load<u8>(src + pos))) pos++;
      if (pos == s || peek() != 0x3e /* > */) return fail(); // invalid named capture
      nameP = <u32>(src + s);
      nameL = pos - s;
      for (let g: u32 = 1; g <= reGroupCount; g++) {
        const e = reGroupNames + (<usize>g << 3);
        if (load<u32>(e, 4) == nameL && memory.compare(load<u32>(e), nameP, nameL) == 0) return fail(); // duplicate name
      }
      pos++; // >
    } else {
      // flags: (?flags) or (?flags:re)
      let neg = false;
      let f = flags;
      let sawFlag = false;
      for (;;) {
        const d = peek();
        if (d == 0x69) f = neg ? f & ~F_FOLD : f | F_FOLD;
        else if (d == 0x6d) f = neg ? f & ~F_MULTILINE : f | F_MULTILINE;
        else if (d == 0x73) f = neg ? f & ~F_DOTNL : f | F_DOTNL;
        else if (d == 0x55) f = neg ? f & ~F_UNGREEDY : f | F_UNGREEDY;
        else if (d == 0x2d) {
          if (neg) return fail();
          neg = true;
          sawFlag = false;
          pos++;
          continue;
        } else if (d == 0x29 /* ) */ || d == 0x3a /* : */) {
          if (neg && !sawFlag) return fail(); // "(?-)" or "(?i-:"
          if (d == 0x29) {
            if (!neg && !sawFlag) return fail(); // "(?)"
            pos++;
            flags = f;
            depth--;
            return 0;
          }
          pos++;
          break;
        } else return fail(); // lookaround and other Perl syntax
        sawFlag = true;
        pos++;
      }
      // (?flags:re) — non-capturing with local flags
      const saved = flags;
      flags = f;
      const inner = parseAlternation();
      flags = saved;
      if (reErrorAt >= 0) return 0;
      if (peek() != 0x29) return fail(); // missing closing )
      pos++;
      depth--;
      return inner;
    }
  }
  let index: u32 = 0;
  if (capture) {
    index = ++reGroupCount;
    if (index >= namesCap) {
      const grown = malloc(<usize>namesCap << 4);
      memory.copy(grown, reGroupNames, <usize>namesCap << 3);
      reGroupNames = grown;
      namesCap <<= 1;
    }
    store<u32>(reGroupNames + (<usize>index << 3), nameP);
    store<u32>(reGroupNames + (<usize>index << 3), nameL, 4);
  }
  const inner = parseAlternation();
  if (reErrorAt >= 0) return 0;
  if (peek() != 0x29) return fail(); // missing closing )
  pos++;
  depth--;
  return newNode(N_CAPTURE, <u32>inner, index, 0, 0);
}

function literal(r: u32): usize {
  return newNode(N_LIT, r, (flags & F_FOLD) != 0 ? 1 : 0, 0, 0);
}

function parseAtom(): usize {
  const c = peek();
  if (c == 0x2e /* . */) {
    pos++;
    return newNode(N_ANY, (flags & F_DOTNL) != 0 ? 1 : 0, 0, 0, 0);
  }
  if (c == 0x5e /* ^ */) {
    pos++;
    return newNode(N_ASSERT, (flags & F_MULTILINE) != 0 ? A_BEGIN_LINE : A_BEGIN_TEXT, 0, 0, 0);
  }
  if (c == 0x24 /* $ */) {
    pos++;
    return newNode(N_ASSERT, (flags & F_MULTILINE) != 0 ? A_END_LINE : A_END_TEXT, 0, 0, 0);
  }
  if (c == 0x5b /* [ */) return parseClass();
  if (c == 0x5c /* \ */) {
    if (pos + 1 >= srcLen) return fail(); // trailing backslash
    const e = <u32>load<u8>(src + pos + 1);
    switch (e) {
      case 0x41: pos += 2; return newNode(N_ASSERT, A_BEGIN_TEXT, 0, 0, 0); // \A
      case 0x7a: pos += 2; return newNode(N_ASSERT, A_END_TEXT, 0, 0, 0); // \z
      case 0x62: pos += 2; return newNode(N_ASSERT, A_WORD, 0, 0, 0); // \b
      case 0x42: pos += 2; return newNode(N_ASSERT, A_NOT_WORD, 0, 0, 0); // \B
    }
    if (isPerlClassLetter(e) || e == 0x70 || e == 0x50) {
      const rs = rangesNew();
      const neg = parseClassEscapeInto(rs);
      if (reErrorAt >= 0) return 0;
      return classNode(rs, neg);
    }
    const r = parseEscapeRune();
    if (reErrorAt >= 0) return 0;
    return literal(r);
  }
  const r = decodeRune(src + pos, srcLen - pos);
  pos += runeWidth;
  return literal(r);
}

function isPerlClassLetter(e: u32): bool {
  return e == 0x64 || e == 0x44 || e == 0x73 || e == 0x53 || e == 0x77 || e == 0x57;
}

/** Parses an escape producing one rune (pos at '\'). */
function parseEscapeRune(): u32 {
  pos++;
  const e = <u32>load<u8>(src + pos);
  pos++;
  switch (e) {
    case 0x61: return 7; // \a
    case 0x66: return 12; // \f
    case 0x6e: return 10; // \n
    case 0x72: return 13; // \r
    case 0x74: return 9; // \t
    case 0x76: return 11; // \v
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: {
      // Octal: \0 followed by up to two more octal digits; \1-\7 only when followed by a digit (no backreferences).
      if (e != 0x30 && !(pos < srcLen && isOctal(load<u8>(src + pos)))) { pos -= 2; fail(); return 0; }
      let v = e - 0x30;
      for (let k = 0; k < 2 && pos < srcLen && isOctal(load<u8>(src + pos)); k++) {
        v = v * 8 + (<u32>load<u8>(src + pos) - 0x30);
        pos++;
      }
      return v;
    }
    case 0x78: { // \x
      if (pos >= srcLen) { fail(); return 0; }
      if (load<u8>(src + pos) == 0x7b) {
        pos++;
        let v: u32 = 0;
        let nd = 0;
        while (pos < srcLen && load<u8>(src + pos) != 0x7d) {
          const h = hexVal(load<u8>(src + pos));
          if (h < 0) { fail(); return 0; }
          v = v * 16 + <u32>h;
          if (v > 0x10ffff) { fail(); return 0; }
          nd++;
          pos++;
        }
        if (pos >= srcLen || nd == 0) { fail(); return 0; }
        pos++;
        return v;
      }
      if (pos + 1 >= srcLen) { fail(); return 0; }
      const h1 = hexVal(load<u8>(src + pos));
      const h2 = hexVal(load<u8>(src + pos + 1));
      if (h1 < 0 || h2 < 0) { fail(); return 0; }
      pos += 2;
      return <u32>(h1 * 16 + h2);
    }
  }
  if (e < 0x80 && !isWordByte(e)) return e; // escaped punctuation
  pos -= 2;
  fail(); // invalid escape sequence
  return 0;
}

@inline function isOctal(c: u32): bool {
  return c >= 0x30 && c <= 0x37;
}

function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return <i32>c - 0x41 + 10;
  return -1;
}

// ---------------------------------------------------------------- character classes

/** Range list: [u32 data][u32 count][u32 cap], data = (lo, hi) u32 pairs. */
function rangesNew(): usize {
  const r = malloc(12);
  store<u32>(r, <u32>malloc(64));
  store<u32>(r, 0, 4);
  store<u32>(r, 8, 8);
  return r;
}

function rangesAdd(rs: usize, lo: u32, hi: u32): void {
  const n = load<u32>(rs, 4);
  const cap = load<u32>(rs, 8);
  if (n == cap) {
    const data = malloc(<usize>cap << 4);
    memory.copy(data, load<u32>(rs), <usize>n << 3);
    store<u32>(rs, <u32>data);
    store<u32>(rs, cap << 1, 8);
  }
  const p = load<u32>(rs) + (<usize>n << 3);
  store<u32>(p, lo);
  store<u32>(p, hi, 4);
  store<u32>(rs, n + 1, 4);
}

/** Adds the complement of a sorted, non-overlapping static table of n (lo, hi) pairs. */
function rangesAddComplement(rs: usize, table: usize, n: u32): void {
  let next: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const lo = load<u32>(table + (<usize>i << 3));
    const hi = load<u32>(table + (<usize>i << 3), 4);
    if (lo > next) rangesAdd(rs, next, lo - 1);
    next = hi + 1;
  }
  if (next <= 0x10ffff) rangesAdd(rs, next, 0x10ffff);
}

function rangesAddTable(rs: usize, table: usize, n: u32, negate: bool): void {
  if (negate) {
    rangesAddComplement(rs, table, n);
    return;
  }
  for (let i: u32 = 0; i < n; i++) rangesAdd(rs, load<u32>(table + (<usize>i << 3)), load<u32>(table + (<usize>i << 3), 4));
}

function classNode(rs: usize, neg: bool): usize {
  let f: u32 = neg ? 1 : 0;
  if (flags & F_FOLD) f |= 2;
  return newNode(N_CLASS, load<u32>(rs), load<u32>(rs, 4), f, 0);
}

const DIGIT_TABLE = memory.data<u32>([0x30, 0x39]);
const SPACE_TABLE = memory.data<u32>([0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20]);
const WORD_TABLE = memory.data<u32>([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);

// Approximate Unicode tables (the blocks that matter for text in Latin, Greek, Cyrillic, CJK scripts).
const LETTER_TABLE = memory.data<u32>([
  0x41, 0x5a, 0x61, 0x7a, 0xaa, 0xaa, 0xb5, 0xb5, 0xba, 0xba, 0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x2c1,
  0x370, 0x374, 0x376, 0x3ff, 0x400, 0x481, 0x48a, 0x52f, 0x531, 0x556, 0x561, 0x587, 0x5d0, 0x5ea,
  0x620, 0x64a, 0x904, 0x939, 0xe01, 0xe30, 0x10a0, 0x10ff, 0x1e00, 0x1fff, 0x2c00, 0x2cff,
  0x3041, 0x3096, 0x30a1, 0x30fa, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xac00, 0xd7a3, 0xf900, 0xfaff,
  0xff21, 0xff3a, 0xff41, 0xff5a,
]);
const LETTER_COUNT: u32 = 29;
const NUMBER_TABLE = memory.data<u32>([0x30, 0x39, 0xb2, 0xb3, 0xb9, 0xb9, 0xbc, 0xbe, 0x660, 0x669, 0x6f0, 0x6f9, 0x966, 0x96f, 0xff10, 0xff19]);
const NUMBER_COUNT: u32 = 8;
const ND_TABLE = memory.data<u32>([0x30, 0x39, 0x660, 0x669, 0x6f0, 0x6f9, 0x966, 0x96f, 0xff10, 0xff19]);
const ND_COUNT: u32 = 5;
const LU_TABLE = memory.data<u32>([0x41, 0x5a, 0xc0, 0xd6, 0xd8, 0xde, 0x391, 0x3a9, 0x400, 0x42f]);
const LU_COUNT: u32 = 5;
const LL_TABLE = memory.data<u32>([0x61, 0x7a, 0xb5, 0xb5, 0xdf, 0xf6, 0xf8, 0xff, 0x3ac, 0x3ce, 0x430, 0x45f]);
const LL_COUNT: u32 = 6;
const GREEK_TABLE = memory.data<u32>([0x370, 0x373, 0x375, 0x377, 0x37a, 0x37d, 0x37f, 0x37f, 0x384, 0x384, 0x386, 0x386, 0x388, 0x3e1, 0x3f0, 0x3ff, 0x1f00, 0x1ffe]);
const GREEK_COUNT: u32 = 9;
const CYRILLIC_TABLE = memory.data<u32>([0x400, 0x52f, 0x1c80, 0x1c88, 0x2de0, 0x2dff, 0xa640, 0xa69f]);
const CYRILLIC_COUNT: u32 = 4;
const LATIN_TABLE = memory.data<u32>([0x41, 0x5a, 0x61, 0x7a, 0xaa, 0xaa, 0xba, 0xba, 0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x2b8, 0x1e00, 0x1eff, 0xff21, 0xff3a, 0xff41, 0xff5a]);
const LATIN_COUNT: u32 = 10;
const HAN_TABLE = memory.data<u32>([0x2e80, 0x2fd5, 0x3005, 0x3007, 0x3021, 0x3029, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xf900, 0xfaff, 0x20000, 0x2fa1f]);
const HAN_COUNT: u32 = 7;
const PUNCT_TABLE = memory.data<u32>([0x21, 0x23, 0x25, 0x2a, 0x2c, 0x2f, 0x3a, 0x3b, 0x3f, 0x40, 0x5b, 0x5d, 0x5f, 0x5f, 0x7b, 0x7b, 0x7d, 0x7d, 0xa1, 0xa1, 0xa7, 0xa7, 0xab, 0xab, 0xb6, 0xb7, 0xbb, 0xbb, 0xbf, 0xbf, 0x2010, 0x2027, 0x3001, 0x3003]);
const PUNCT_COUNT: u32 = 17;
const ANY_TABLE = memory.data<u32>([0, 0x10ffff]);

// POSIX classes.
const P_ALNUM = memory.data<u32>([0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a]);
const P_ALPHA = memory.data<u32>([0x41, 0x5a, 0x61, 0x7a]);
const P_ASCII = memory.data<u32>([0, 0x7f]);
const P_BLANK = memory.data<u32>([0x09, 0x09, 0x20, 0x20]);
const P_CNTRL = memory.data<u32>([0, 0x1f, 0x7f, 0x7f]);
const P_GRAPH = memory.data<u32>([0x21, 0x7e]);
const P_LOWER = memory.data<u32>([0x61, 0x7a]);
const P_PRINT = memory.data<u32>([0x20, 0x7e]);
const P_PUNCT = memory.data<u32>([0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e]);
const P_SPACE = memory.data<u32>([0x09, 0x0d, 0x20, 0x20]);
const P_UPPER = memory.data<u32>([0x41, 0x5a]);
const P_XDIGIT = memory.data<u32>([0x30, 0x39, 0x41, 0x46, 0x61, 0x66]);

/**
 * Parses `\d`-style or `\p`-style escapes at pos into rs. Returns true when the caller must negate
 * the whole class (only for standalone use; inside brackets negated escapes add complements).
 */
function parseClassEscapeInto(rs: usize): bool {
  const e = <u32>load<u8>(src + pos + 1);
  pos += 2;
  switch (e) {
    case 0x64: rangesAddTable(rs, DIGIT_TABLE, 1, false); return false;
    case 0x44: rangesAddTable(rs, DIGIT_TABLE, 1, true); return false;
    case 0x73: rangesAddTable(rs, SPACE_TABLE, 3, false); return false;
    case 0x53: rangesAddTable(rs, SPACE_TABLE, 3, true); return false;
    case 0x77: rangesAddTable(rs, WORD_TABLE, 4, false); return false;
    case 0x57: rangesAddTable(rs, WORD_TABLE, 4, true); return false;
  }
  // \pX, \p{Name}, \PX, \p{^Name}
  let negate = e == 0x50;
  if (pos >= srcLen) { fail(); return false; }
  let np = src + pos;
  let nl: u32 = 1;
  if (load<u8>(src + pos) == 0x7b) {
    const s = pos + 1;
    let i = s;
    while (i < srcLen && load<u8>(src + i) != 0x7d) i++;
    if (i >= srcLen) { fail(); return false; }
    np = src + s;
    nl = i - s;
    pos = i + 1;
    if (nl > 0 && load<u8>(np) == 0x5e) {
      negate = !negate;
      np++;
      nl--;
    }
  } else {
    const r = decodeRune(src + pos, srcLen - pos);
    pos += runeWidth;
    if (r >= 0x80) { fail(); return false; }
  }
  if (nameIs(np, nl, "L") || nameIs(np, nl, "Letter")) rangesAddTable(rs, LETTER_TABLE, LETTER_COUNT, negate);
  else if (nameIs(np, nl, "Lu")) rangesAddTable(rs, LU_TABLE, LU_COUNT, negate);
  else if (nameIs(np, nl, "Ll")) rangesAddTable(rs, LL_TABLE, LL_COUNT, negate);
  else if (nameIs(np, nl, "N")) rangesAddTable(rs, NUMBER_TABLE, NUMBER_COUNT, negate);
  else if (nameIs(np, nl, "Nd")) rangesAddTable(rs, ND_TABLE, ND_COUNT, negate);
  else if (nameIs(np, nl, "P")) rangesAddTable(rs, PUNCT_TABLE, PUNCT_COUNT, negate);
  else if (nameIs(np, nl, "Greek")) rangesAddTable(rs, GREEK_TABLE, GREEK_COUNT, negate);
  else if (nameIs(np, nl, "Cyrillic")) rangesAddTable(rs, CYRILLIC_TABLE, CYRILLIC_COUNT, negate);
  else if (nameIs(np, nl, "Latin")) rangesAddTable(rs, LATIN_TABLE, LATIN_COUNT, negate);
  else if (nameIs(np, nl, "Han")) rangesAddTable(rs, HAN_TABLE, HAN_COUNT, negate);
  else if (nameIs(np, nl, "Any")) rangesAddTable(rs, ANY_TABLE, 1, negate);
  else { fail(); return false; } // unknown Unicode class
  return false;
}

function nameIs(p: usize, n: u32, lit: string): bool {
  if (<u32>lit.length != n) return false;
  const s = changetype<usize>(lit);
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>load<u16>(s + (i << 1))) return false;
  return true;
}

function parseClass(): usize {
  const start = pos;
  pos++; // [
  let neg = false;
  if (peek() == 0x5e) {
    neg = true;
    pos++;
  }
  const rs = rangesNew();
  let first = true;
  for (;;) {
    if (pos >= srcLen) {
      pos = start;
      return fail(); // missing closing ]
    }
    const c = peek();
    if (c == 0x5d && !first) {
      pos++;
      break;
    }
    first = false;
    // POSIX [:name:]
    if (c == 0x5b && pos + 1 < srcLen && load<u8>(src + pos + 1) == 0x3a) {
      let i = pos + 2;
      while (i + 1 < srcLen && !(load<u8>(src + i) == 0x3a && load<u8>(src + i + 1) == 0x5d)) i++;
      if (i + 1 < srcLen) {
        let np = src + pos + 2;
        let nl = i - pos - 2;
        let pneg = false;
        if (nl > 0 && load<u8>(np) == 0x5e) {
          pneg = true;
          np++;
          nl--;
        }
        if (!addPosix(rs, np, nl, pneg)) return fail();
        pos = i + 2;
        continue;
      }
    }
    if (c == 0x5c && pos + 1 < srcLen) {
      const e = <u32>load<u8>(src + pos + 1);
      if (isPerlClassLetter(e) || e == 0x70 || e == 0x50) {
        parseClassEscapeInto(rs);
        if (reErrorAt >= 0) return 0;
        continue;
      }
    }
    const lo = classRune();
    if (reErrorAt >= 0) return 0;
    let hi = lo;
    if (peek() == 0x2d && pos + 1 < srcLen && load<u8>(src + pos + 1) != 0x5d) {
      pos++;
      hi = classRune();
      if (reErrorAt >= 0) return 0;
      if (hi < lo) return fail(); // invalid character class range
    }
    rangesAdd(rs, lo, hi);
  }
  return classNode(rs, neg);
}

function classRune(): u32 {
  if (peek() == 0x5c) {
    if (pos + 1 >= srcLen) {
      fail();
      return 0;
    }
    const e = <u32>load<u8>(src + pos + 1);
    return parseEscapeRune();
  }
  const r = decodeRune(src + pos, srcLen - pos);
  pos += runeWidth;
  return r;
}

function addPosix(rs: usize, p: usize, n: u32, negate: bool): bool {
  if (nameIs(p, n, "alnum")) rangesAddTable(rs, P_ALNUM, 3, negate);
  else if (nameIs(p, n, "alpha")) rangesAddTable(rs, P_ALPHA, 2, negate);
  else if (nameIs(p, n, "ascii")) rangesAddTable(rs, P_ASCII, 1, negate);
  else if (nameIs(p, n, "blank")) rangesAddTable(rs, P_BLANK, 2, negate);
  else if (nameIs(p, n, "cntrl")) rangesAddTable(rs, P_CNTRL, 2, negate);
  else if (nameIs(p, n, "digit")) rangesAddTable(rs, DIGIT_TABLE, 1, negate);
  else if (nameIs(p, n, "graph")) rangesAddTable(rs, P_GRAPH, 1, negate);
  else if (nameIs(p, n, "lower")) rangesAddTable(rs, P_LOWER, 1, negate);
  else if (nameIs(p, n, "print")) rangesAddTable(rs, P_PRINT, 1, negate);
  else if (nameIs(p, n, "punct")) rangesAddTable(rs, P_PUNCT, 4, negate);
  else if (nameIs(p, n, "space")) rangesAddTable(rs, P_SPACE, 2, negate);
  else if (nameIs(p, n, "upper")) rangesAddTable(rs, P_UPPER, 1, negate);
  else if (nameIs(p, n, "word")) rangesAddTable(rs, WORD_TABLE, 4, negate);
  else if (nameIs(p, n, "xdigit")) rangesAddTable(rs, P_XDIGIT, 3, negate);
  else return false;
  return true;
}
