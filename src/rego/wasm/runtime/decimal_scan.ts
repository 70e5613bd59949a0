// Splits decimal number text (-ddd.ddd[e±x]) into significant digits and a power of ten: the one scanner of the number code.

import { malloc } from './memory';

/** Result of the last scanDecimal: the value is (scanNeg ? -1 : 1) × digits[0..scanCount) × 10^scanExp. */
export let scanNeg = false;
/** ASCII digits without leading or trailing zeros (scanCount 0 for zero). */
export let scanDigits: usize = 0;
export let scanCount: u32 = 0;
export let scanExp: i64 = 0;

/**
 * Scans p[0..n). Returns false when the written exponent exceeds 100000 in magnitude (the value is then
 * out of every range the callers handle; scanExp holds the exponent read so far, with its sign).
 */
export function scanDecimal(p: usize, n: u32): bool {
  let i: u32 = 0;
  scanNeg = n > 0 && load<u8>(p) == 0x2d;
  if (scanNeg) i++;
  const digits = malloc(n + 1);
  let d: u32 = 0;
  let exp: i64 = 0;
  let seenDot = false;
  for (; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2e) {
      seenDot = true;
      continue;
    }
    if (c < 0x30 || c > 0x39) break;
    if (seenDot) exp--;
    if (d == 0 && c == 0x30) continue;
    store<u8>(digits + d++, <u8>c);
  }
  let ok = true;
  if (i < n) {
    i++;
    let eneg = false;
    if (i < n && (load<u8>(p + i) == 0x2b || load<u8>(p + i) == 0x2d)) {
      eneg = load<u8>(p + i) == 0x2d;
      i++;
    }
    let e: i64 = 0;
    for (; i < n; i++) {
      e = e * 10 + <i64>(load<u8>(p + i) - 0x30);
      if (e > 100000) {
        ok = false;
        break;
      }
    }
    exp += eneg ? -e : e;
  }
  while (d > 0 && load<u8>(digits + d - 1) == 0x30) {
    d--;
    exp++;
  }
  scanDigits = digits;
  scanCount = d;
  scanExp = exp;
  return ok;
}
