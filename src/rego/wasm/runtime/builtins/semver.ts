// Semantic version builtins: semver.is_valid and semver.compare, with the parsing rules of OPA's internal/semver.
//
// OPA's rules: an optional leading "v"; "+metadata" cut first, then "-prerelease"; each must
// match [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* when non-empty; exactly major.minor.patch, each an
// int64 as Go's strconv.ParseInt reads it (sign and leading zeros allowed).

import { Value, UNDEFINED, typeOf, T_STRING, makeBool, makeInt, stringPtr, stringLen } from '../value';
import { malloc } from '../memory';

/** semver.is_valid(x): x is a string holding a valid version (false for any other value). */
export function builtin_semver_is_valid(x: Value): Value {
  if (typeOf(x) != T_STRING) return makeBool(false);
  return makeBool(parseVersion(stringPtr(x), stringLen(x), malloc(VERSION_SIZE)));
}

/** semver.compare(a, b) -> -1, 0 or 1 by SemVer precedence; undefined when either is not a valid version. */
export function builtin_semver_compare(a: Value, b: Value): Value {
  if (typeOf(a) != T_STRING || typeOf(b) != T_STRING) return UNDEFINED;
  const va = malloc(VERSION_SIZE);
  const vb = malloc(VERSION_SIZE);
  if (!parseVersion(stringPtr(a), stringLen(a), va) || !parseVersion(stringPtr(b), stringLen(b), vb)) return UNDEFINED;
  return makeInt(<i64>compareVersions(va, vb));
}

// A parsed version: [i64 major][i64 minor][i64 patch][u32 prePtr][u32 preLen]
const VERSION_SIZE: usize = 32;

function parseVersion(p: usize, n: u32, out: usize): bool {
  if (n > 0 && load<u8>(p) == 0x76) { p++; n--; } // "v"
  // metadata
  let end = n;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0x2b) { end = i; break; }
  if (end + 1 < n && !validIdentifiers(p + end + 1, n - end - 1)) return false; // an empty "+" part passes, as in OPA
  // pre-release
  let core = end;
  for (let i: u32 = 0; i < end; i++) if (load<u8>(p + i) == 0x2d) { core = i; break; }
  const preLen = core < end ? end - core - 1 : 0;
  if (preLen > 0 && !validIdentifiers(p + core + 1, preLen)) return false;
  store<u32>(out + 24, <u32>(p + core + 1));
  store<u32>(out + 28, preLen);
  // major.minor.patch
  let dots: u32 = 0;
  for (let i: u32 = 0; i < core; i++) if (load<u8>(p + i) == 0x2e) dots++;
  if (dots != 2) return false;
  let start: u32 = 0;
  let field: u32 = 0;
  for (let i: u32 = 0; i <= core; i++) {
    if (i == core || load<u8>(p + i) == 0x2e) {
      if (!parseInt64(p + start, i - start, out + (<usize>field << 3))) return false;
      field++;
      start = i + 1;
    }
  }
  return true;
}

/** Go's strconv.ParseInt(s, 10, 64) into *out. */
function parseInt64(p: usize, n: u32, out: usize): bool {
  let i: u32 = 0;
  let neg = false;
  if (n > 0 && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) {
    neg = load<u8>(p) == 0x2d;
    i = 1;
  }
  if (i == n) return false;
  let v: u64 = 0;
  for (; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return false;
    v = v * 10 + <u64>(c - 0x30);
    if (v > 9223372036854775808) return false;
  }
  if (!neg && v > 9223372036854775807) return false;
  store<i64>(out, neg ? <i64>(0 - v) : <i64>v);
  return true;
}

/** [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* */
function validIdentifiers(p: usize, n: u32): bool {
  if (n == 0) return false;
  let run: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e) {
      if (run == 0) return false;
      run = 0;
      continue;
    }
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d;
    if (!ok) return false;
    run++;
  }
  return run > 0;
}

function compareVersions(a: usize, b: usize): i32 {
  for (let k: usize = 0; k < 3; k++) {
    const x = load<i64>(a + (k << 3));
    const y = load<i64>(b + (k << 3));
    if (x != y) return x > y ? 1 : -1;
  }
  const ap = <usize>load<u32>(a + 24), an = load<u32>(a + 28);
  const bp = <usize>load<u32>(b + 24), bn = load<u32>(b + 28);
  if (an == bn && memory.compare(ap, bp, an) == 0) return 0;
  if (an == 0) return 1; // no pre-release ranks above any pre-release
  if (bn == 0) return -1;
  // Compare dot-separated identifiers: numeric below alphanumeric, numbers by value, text bytewise, more fields win.
  let i: u32 = 0, j: u32 = 0;
  while (true) {
    let ie = i;
    while (ie < an && load<u8>(ap + ie) != 0x2e) ie++;
    let je = j;
    while (je < bn && load<u8>(bp + je) != 0x2e) je++;
    const la = ie - i, lb = je - j;
    if (la == 0 && lb != 0) return -1;
    if (la != 0 && lb == 0) return 1;
    const aNum = allDigits(ap + i, la), bNum = allDigits(bp + j, lb);
    if (aNum && !bNum) return -1;
    if (!aNum && bNum) return 1;
    let c: i32;
    if (aNum) c = compareDecimal(ap + i, la, bp + j, lb);
    else {
      const m = la < lb ? la : lb;
      c = memory.compare(ap + i, bp + j, m);
      if (c == 0) c = la == lb ? 0 : la < lb ? -1 : 1;
    }
    if (c != 0) return c > 0 ? 1 : -1;
    const moreA = ie < an, moreB = je < bn;
    if (moreA && !moreB) return 1;
    if (!moreA && moreB) return -1;
    if (!moreA && !moreB) return 0;
    i = ie + 1;
    j = je + 1;
  }
  return 0;
}

function allDigits(p: usize, n: u32): bool {
  if (n == 0) return false;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function compareDecimal(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  while (la > 1 && load<u8>(pa) == 0x30) { pa++; la--; }
  while (lb > 1 && load<u8>(pb) == 0x30) { pb++; lb--; }
  if (la != lb) return la < lb ? -1 : 1;
  return memory.compare(pa, pb, la);
}
