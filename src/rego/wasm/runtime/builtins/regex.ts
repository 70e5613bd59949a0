// Regex builtins (regex.match, re_match, regex.is_valid, split, find_n, find_all_string_submatch_n, replace, template_match) with Go regexp semantics.
//
// Patterns are RE2 syntax (regex_syntax.ts) run on a Pike VM (regex_vm.ts): linear time in the
// input, no backtracking blowups. An invalid pattern makes the call undefined (OPA non-strict).
// Iteration over successive matches follows Go's FindAll/ReplaceAll rules for empty matches.

import { malloc } from '../memory';
import {
  Value, typeOf, T_NUMBER, T_STRING, makeBool, makeString, makeArray, arrayAppend, stringPtr, stringLen,
} from '../value';
import { numberIsInteger, numberToI64 } from '../number';
import { bufNew, bufByte, bufBytes, bufToString, bufData, bufLen, decodeRune, runeWidth } from './byte_buffer';
import { reExec, reMatch, reNumSlots, reGroupCountOf, reGroupNamePtr, reGroupNameLen } from './regex_vm';
import { reCompileCached } from './regex_cache';

@inline function isStr(v: Value): bool {
  return typeOf(v) == T_STRING;
}

function compileValue(pattern: Value): usize {
  return reCompileCached(stringPtr(pattern), stringLen(pattern));
}

export function builtin_regex_match(pattern: Value, value: Value): Value {
  if (!isStr(pattern) || !isStr(value)) return 0;
  const prog = compileValue(pattern);
  if (prog == 0) return 0;
  return makeBool(reMatch(prog, stringPtr(value), stringLen(value)));
}

/** Deprecated alias of regex.match. */
export function builtin_re_match(pattern: Value, value: Value): Value {
  return builtin_regex_match(pattern, value);
}

/** regex.is_valid: false (not undefined) for anything that is not a valid pattern string. */
export function builtin_regex_is_valid(pattern: Value): Value {
  if (!isStr(pattern)) return makeBool(false);
  return makeBool(compileValue(pattern) != 0);
}

// ---------------------------------------------------------------- successive matches

/**
 * Go's allMatches: up to `max` (negative = all) leftmost-first matches, each as a block of
 * reNumSlots(prog) i32 offsets. Returns a list [u32 count][u32 blocks ptr]. An empty match right
 * after the previous match is skipped.
 */
function allMatches(prog: usize, p: usize, n: u32, max: i64): usize {
  const slots = reNumSlots(prog);
  let cap: u32 = 8;
  let blocks = malloc(<usize>cap << 2);
  let count: u32 = 0;
  let at: u32 = 0;
  let prevEnd: i32 = -1;
  while (at <= n && (max < 0 || <i64>count < max)) {
    const caps = malloc(<usize>slots << 2);
    if (!reExec(prog, p, n, at, caps)) break;
    const s0 = load<i32>(caps);
    const e0 = load<i32>(caps, 4);
    let accept = true;
    if (e0 == <i32>at) {
      // Empty match: not allowed right after the previous match; step one code point.
      if (s0 == prevEnd) accept = false;
      if (at < n) {
        decodeRune(p + at, n - at);
        at += runeWidth;
      } else at = n + 1;
    } else at = <u32>e0;
    prevEnd = e0;
    if (accept) {
      if (count == cap) {
        const grown = malloc(<usize>cap << 3);
        memory.copy(grown, blocks, <usize>cap << 2);
        blocks = grown;
        cap <<= 1;
      }
      store<u32>(blocks + (<usize>count << 2), <u32>caps);
      count++;
    }
  }
  const list = malloc(8);
  store<u32>(list, count);
  store<u32>(list, <u32>blocks, 4);
  return list;
}

@inline function matchCount(list: usize): u32 { return load<u32>(list); }
@inline function matchCaps(list: usize, i: u32): usize { return load<u32>(load<u32>(list, 4) + (<usize>i << 2)); }

/** The operand checks both `*_n` finders share (OPA's IntOperand for `number`): the compiled pattern, or 0 when the
 * call is undefined; sets nMax to the count. */
let nMax: i64 = 0;
function findNOperands(pattern: Value, value: Value, number: Value): usize {
  if (!isStr(pattern) || !isStr(value)) return 0;
  if (typeOf(number) != T_NUMBER || !numberIsInteger(number)) return 0;
  nMax = numberToI64(number);
  return compileValue(pattern);
}

export function builtin_regex_find_n(pattern: Value, value: Value, number: Value): Value {
  const prog = findNOperands(pattern, value, number);
  if (prog == 0) return 0;
  const max = nMax;
  const p = stringPtr(value);
  const out = makeArray(4);
  if (max == 0) return out;
  const list = allMatches(prog, p, stringLen(value), max);
  for (let i: u32 = 0; i < matchCount(list); i++) {
    const caps = matchCaps(list, i);
    const s = load<i32>(caps);
    arrayAppend(out, makeString(p + s, <u32>(load<i32>(caps, 4) - s)));
  }
  return out;
}

export function builtin_regex_find_all_string_submatch_n(pattern: Value, value: Value, number: Value): Value {
  const prog = findNOperands(pattern, value, number);
  if (prog == 0) return 0;
  const max = nMax;
  const p = stringPtr(value);
  const out = makeArray(4);
  if (max == 0) return out;
  const groups = reGroupCountOf(prog) + 1;
  const list = allMatches(prog, p, stringLen(value), max);
  for (let i: u32 = 0; i < matchCount(list); i++) {
    const caps = matchCaps(list, i);
    const sub = makeArray(groups);
    for (let g: u32 = 0; g < groups; g++) {
      const s = load<i32>(caps + (<usize>g << 3));
      const e = load<i32>(caps + (<usize>g << 3), 4);
      arrayAppend(sub, s < 0 ? makeString(p, 0) : makeString(p + s, <u32>(e - s)));
    }
    arrayAppend(out, sub);
  }
  return out;
}

/** Go's Regexp.Split(s, -1). */
export function builtin_regex_split(pattern: Value, value: Value): Value {
  if (!isStr(pattern) || !isStr(value)) return 0;
  const prog = compileValue(pattern);
  if (prog == 0) return 0;
  const p = stringPtr(value);
  const n = stringLen(value);
  const out = makeArray(4);
  if (stringLen(pattern) > 0 && n == 0) {
    arrayAppend(out, makeString(p, 0));
    return out;
  }
  const list = allMatches(prog, p, n, -1);
  let beg: u32 = 0;
  let end: u32 = 0;
  for (let i: u32 = 0; i < matchCount(list); i++) {
    const caps = matchCaps(list, i);
    end = <u32>load<i32>(caps);
    if (load<i32>(caps, 4) != 0) arrayAppend(out, makeString(p + beg, end - beg));
    beg = <u32>load<i32>(caps, 4);
  }
  if (end != n) arrayAppend(out, makeString(p + beg, n - beg));
  return out;
}

// ---------------------------------------------------------------- replace

/** regex.replace(s, pattern, value): Go's ReplaceAllString, with `$1`, `${name}` and `$$` expanded in value. */
export function builtin_regex_replace(s: Value, pattern: Value, value: Value): Value {
  if (!isStr(s) || !isStr(pattern) || !isStr(value)) return 0;
  const prog = compileValue(pattern);
  if (prog == 0) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const b = bufNew(n + 16);
  const caps = malloc(<usize>reNumSlots(prog) << 2);
  let lastEnd: u32 = 0;
  let searchPos: u32 = 0;
  while (searchPos <= n) {
    if (!reExec(prog, p, n, searchPos, caps)) break;
    const a0 = <u32>load<i32>(caps);
    const a1 = <u32>load<i32>(caps, 4);
    bufBytes(b, p + lastEnd, a0 - lastEnd);
    // No replacement for an empty match right after the previous match.
    if (a1 > lastEnd || a0 == 0) expandTemplate(b, prog, stringPtr(value), stringLen(value), p, caps);
    lastEnd = a1;
    let width: u32 = 1;
    if (searchPos < n) {
      decodeRune(p + searchPos, n - searchPos);
      width = runeWidth;
    }
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  bufBytes(b, p + lastEnd, n - lastEnd);
  return bufToString(b);
}

function isNameByte(c: u32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

/** Go's Regexp.expand for string templates. */
function expandTemplate(b: usize, prog: usize, t: usize, tn: u32, src: usize, caps: usize): void {
  let i: u32 = 0;
  while (i < tn) {
    const c = <u32>load<u8>(t + i);
    if (c != 0x24) {
      bufByte(b, c);
      i++;
      continue;
    }
    i++;
    if (i < tn && load<u8>(t + i) == 0x24) {
      bufByte(b, 0x24);
      i++;
      continue;
    }
    // extract a name: ${name} or $name (longest run of letters, digits, '_')
    let brace = false;
    let j = i;
    if (j < tn && load<u8>(t + j) == 0x7b) {
      brace = true;
      j++;
    }
    const ns = j;
    while (j < tn) {
      const d = <u32>load<u8>(t + j);
      if (isNameByte(d)) j++;
      else if (d >= 0x80) {
        // Go accepts Unicode letters and digits in names; approximate with any non-ASCII code point.
        decodeRune(t + j, tn - j);
        j += runeWidth;
      } else break;
    }
    const nl = j - ns;
    let ok = nl > 0;
    if (ok && brace) {
      if (j < tn && load<u8>(t + j) == 0x7d) j++;
      else ok = false;
    }
    if (!ok) {
      bufByte(b, 0x24); // malformed: the '$' is literal text
      continue;
    }
    i = j;
    // numeric name?
    let num: i32 = 0;
    for (let k: u32 = 0; k < nl; k++) {
      const d = <u32>load<u8>(t + ns + k);
      if (d < 0x30 || d > 0x39 || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + <i32>(d - 0x30);
    }
    if (nl > 1 && load<u8>(t + ns) == 0x30) num = -1;
    const groups = reGroupCountOf(prog);
    if (num >= 0) {
      if (<u32>num <= groups) appendGroup(b, src, caps, <u32>num);
    } else {
      for (let g: u32 = 1; g <= groups; g++) {
        const gl = reGroupNameLen(prog, g);
        if (gl == nl && memory.compare(reGroupNamePtr(prog, g), t + ns, nl) == 0) {
          appendGroup(b, src, caps, g);
          break;
        }
      }
    }
  }
}

function appendGroup(b: usize, src: usize, caps: usize, g: u32): void {
  const s = load<i32>(caps + (<usize>g << 3));
  const e = load<i32>(caps + (<usize>g << 3), 4);
  if (s >= 0) bufBytes(b, src + s, <u32>(e - s));
}

// ---------------------------------------------------------------- template_match

/** Go's regexp.QuoteMeta into b. */
export function quoteRegexMeta(b: usize, p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    // \.+*?()|[]{}^$
    if (c == 0x5c || c == 0x2e || c == 0x2b || c == 0x2a || c == 0x3f || c == 0x28 || c == 0x29 || c == 0x7c ||
        c == 0x5b || c == 0x5d || c == 0x7b || c == 0x7d || c == 0x5e || c == 0x24) bufByte(b, 0x5c);
    bufByte(b, c);
  }
}

/**
 * regex.template_match(template, value, delimiter_start, delimiter_end): the template's text
 * outside first-level delimiters matches literally, the text inside is a regular expression;
 * the whole value must match. Unbalanced delimiters or an invalid inner pattern: undefined.
 */
export function builtin_regex_template_match(template: Value, value: Value, ds: Value, de: Value): Value {
  if (!isStr(template) || !isStr(value) || !isStr(ds) || !isStr(de)) return 0;
  if (stringLen(ds) != 1 || stringLen(de) != 1) return 0;
  const open = <u32>load<u8>(stringPtr(ds));
  const close = <u32>load<u8>(stringPtr(de));
  const t = stringPtr(template);
  const tn = stringLen(template);
  const b = bufNew(tn * 2 + 8);
  bufByte(b, 0x5e); // ^
  let level: i32 = 0;
  let idx: u32 = 0;
  let end: u32 = 0;
  for (let i: u32 = 0; i < tn; i++) {
    const c = <u32>load<u8>(t + i);
    if (c == open) {
      level++;
      if (level == 1) idx = i;
    } else if (c == close) {
      level--;
      if (level == 0) {
        quoteRegexMeta(b, t + end, idx - end);
        const inner = t + idx + 1;
        const innerLen = i - idx - 1;
        // Each variable's pattern must compile on its own.
        if (reCompileCached(inner, innerLen) == 0) return 0;
        bufByte(b, 0x28);
        bufBytes(b, inner, innerLen);
        bufByte(b, 0x29);
        end = i + 1;
      } else if (level < 0) return 0;
    }
  }
  if (level != 0) return 0;
  quoteRegexMeta(b, t + end, tn - end);
  bufByte(b, 0x24); // $
  const prog = reCompileCached(bufData(b), bufLen(b));
  if (prog == 0) return 0;
  return makeBool(reMatch(prog, stringPtr(value), stringLen(value)));
}
