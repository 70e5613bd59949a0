// Growable UTF-8 byte buffers and code point decoding over raw memory, shared by the string builtins.
//
// A buffer is a 12-byte header [u32 data][u32 len][u32 cap] allocated with malloc. Growth
// copies into a fresh block (the old one is garbage until the SDK resets the heap).

import { malloc } from '../memory';
import { Value, makeString, writeUtf8 } from '../value';

export type Buf = usize;

export function bufNew(cap: u32): Buf {
  if (cap < 16) cap = 16;
  const b = malloc(12);
  store<u32>(b, <u32>malloc(cap));
  store<u32>(b, 0, 4);
  store<u32>(b, cap, 8);
  return b;
}

@inline export function bufData(b: Buf): usize {
  return load<u32>(b);
}

@inline export function bufLen(b: Buf): u32 {
  return load<u32>(b, 4);
}

/** Drops bytes past n (n <= len). */
export function bufTruncate(b: Buf, n: u32): void {
  store<u32>(b, n, 4);
}

/** Ensures room for n more bytes. */
export function bufReserve(b: Buf, n: u32): void {
  const len = load<u32>(b, 4);
  const cap = load<u32>(b, 8);
  if (len + n <= cap) return;
  let ncap = cap * 2;
  if (ncap < len + n) ncap = len + n;
  const data = malloc(ncap);
  memory.copy(data, load<u32>(b), len);
  store<u32>(b, <u32>data);
  store<u32>(b, ncap, 8);
}

export function bufByte(b: Buf, c: u32): void {
  bufReserve(b, 1);
  const len = load<u32>(b, 4);
  store<u8>(load<u32>(b) + len, <u8>c);
  store<u32>(b, len + 1, 4);
}

export function bufBytes(b: Buf, p: usize, n: u32): void {
  if (n == 0) return;
  bufReserve(b, n);
  const len = load<u32>(b, 4);
  memory.copy(load<u32>(b) + len, p, n);
  store<u32>(b, len + n, 4);
}

export function bufRune(b: Buf, c: u32): void {
  bufReserve(b, 4);
  const len = load<u32>(b, 4);
  store<u32>(b, len + writeUtf8(load<u32>(b) + len, c), 4);
}

/** Appends an ASCII AssemblyScript string literal. */
export function bufLit(b: Buf, s: string): void {
  const src = changetype<usize>(s);
  const n = <u32>s.length;
  bufReserve(b, n);
  const len = load<u32>(b, 4);
  const dst = load<u32>(b) + len;
  for (let i: u32 = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + (i << 1)));
  store<u32>(b, len + n, 4);
}

/** Appends n copies of byte c. */
export function bufRepeat(b: Buf, c: u32, n: i32): void {
  if (n <= 0) return;
  bufReserve(b, <u32>n);
  const len = load<u32>(b, 4);
  memory.fill(load<u32>(b) + len, <u8>c, n);
  store<u32>(b, len + <u32>n, 4);
}

/** Appends the decimal digits of u. */
export function bufU64(b: Buf, u: u64): void {
  const tmp = malloc(24);
  let i = 24;
  do {
    i--;
    store<u8>(tmp + i, <u8>(48 + <u32>(u % 10)));
    u /= 10;
  } while (u != 0);
  bufBytes(b, tmp + i, <u32>(24 - i));
}

export function bufI64(b: Buf, v: i64): void {
  if (v < 0) {
    bufByte(b, 45);
    bufU64(b, <u64>(-v)); // -i64.MIN wraps to 2^63 as u64: still right
  } else bufU64(b, <u64>v);
}

/** The buffer's bytes as a string Value (shares the bytes; the buffer must not be reused). */
export function bufToString(b: Buf): Value {
  return makeString(load<u32>(b), load<u32>(b, 4));
}

// ---------------------------------------------------------------- UTF-8 decoding

/** Result slot of decodeRune: the width in bytes of the last decoded rune. */
export let runeWidth: u32 = 0;

/**
 * Decodes the code point at p (n bytes available, n > 0). Invalid or truncated sequences decode
 * as U+FFFD with width 1, as Go does.
 */
export function decodeRune(p: usize, n: u32): u32 {
  const c0 = <u32>load<u8>(p);
  if (c0 < 0x80) {
    runeWidth = 1;
    return c0;
  }
  runeWidth = 1;
  if (c0 < 0xc2 || c0 > 0xf4) return 0xfffd;
  if (c0 < 0xe0) {
    if (n < 2) return 0xfffd;
    const c1 = <u32>load<u8>(p, 1);
    if ((c1 & 0xc0) != 0x80) return 0xfffd;
    runeWidth = 2;
    return ((c0 & 0x1f) << 6) | (c1 & 0x3f);
  }
  if (c0 < 0xf0) {
    if (n < 3) return 0xfffd;
    const c1 = <u32>load<u8>(p, 1);
    const c2 = <u32>load<u8>(p, 2);
    if ((c1 & 0xc0) != 0x80 || (c2 & 0xc0) != 0x80) return 0xfffd;
    if (c0 == 0xe0 && c1 < 0xa0) return 0xfffd;
    if (c0 == 0xed && c1 >= 0xa0) return 0xfffd; // surrogates
    runeWidth = 3;
    return ((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
  }
  if (n < 4) return 0xfffd;
  const c1 = <u32>load<u8>(p, 1);
  const c2 = <u32>load<u8>(p, 2);
  const c3 = <u32>load<u8>(p, 3);
  if ((c1 & 0xc0) != 0x80 || (c2 & 0xc0) != 0x80 || (c3 & 0xc0) != 0x80) return 0xfffd;
  if (c0 == 0xf0 && c1 < 0x90) return 0xfffd;
  if (c0 == 0xf4 && c1 >= 0x90) return 0xfffd;
  runeWidth = 4;
  return ((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
}

/** Number of code points in n bytes at p (invalid bytes count one each). */
export function runeCount(p: usize, n: u32): u32 {
  let count: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) i++;
    else {
      decodeRune(p + i, n - i);
      i += runeWidth;
    }
    count++;
  }
  return count;
}

/** Byte offset of the k-th code point (k <= runeCount), or n when k is past the end. */
export function runeOffset(p: usize, n: u32, k: u32): u32 {
  let i: u32 = 0;
  while (k > 0 && i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) i++;
    else {
      decodeRune(p + i, n - i);
      i += runeWidth;
    }
    k--;
  }
  return i;
}

/** Byte equality of two ranges. */
export function bytesEqual(a: usize, b: usize, n: u32): bool {
  return memory.compare(a, b, n) == 0;
}

/** First byte index >= from where needle (m bytes) occurs in hay (n bytes), or -1. */
export function bytesIndexOf(hay: usize, n: u32, needle: usize, m: u32, from: u32): i32 {
  if (m == 0) return from <= n ? <i32>from : -1;
  if (m > n) return -1;
  const first = load<u8>(needle);
  const last = n - m;
  for (let i = from; i <= last; i++) {
    if (load<u8>(hay + i) == first && memory.compare(hay + i, needle, m) == 0) return <i32>i;
  }
  return -1;
}

/** Last byte index where needle occurs in hay, or -1. */
export function bytesLastIndexOf(hay: usize, n: u32, needle: usize, m: u32): i32 {
  if (m > n) return -1;
  for (let i = <i32>(n - m); i >= 0; i--) {
    if (memory.compare(hay + i, needle, m) == 0) return i;
  }
  return -1;
}
