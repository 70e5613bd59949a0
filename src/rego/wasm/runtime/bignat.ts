// Arbitrary-precision natural numbers (u32 limbs) for exact number conversions in bigfloat.ts.
//
// A Nat is the address of [u32 len][u32 limbs...] (little-endian limbs, no leading zero limbs;
// len 0 is zero). Every operation allocates its result on the heap; operands are never changed.
// Sizes stay small (a few hundred bits): conversions of 64-bit mantissas and decimal texts of
// at most a few hundred digits.

import { malloc } from './memory';

export type Nat = usize;

@inline export function natLen(a: Nat): u32 {
  return load<u32>(a);
}

@inline function limb(a: Nat, i: u32): u32 {
  return i < load<u32>(a) ? load<u32>(a + 4 + (<usize>i << 2)) : 0;
}

@inline function setLimb(a: Nat, i: u32, x: u32): void {
  store<u32>(a + 4 + (<usize>i << 2), x);
}

function natAlloc(n: u32): Nat {
  const a = malloc(4 + (<usize>n << 2));
  store<u32>(a, n);
  return a;
}

/** Drops leading zero limbs. */
function trim(a: Nat): Nat {
  let n = load<u32>(a);
  while (n > 0 && load<u32>(a + 4 + (<usize>(n - 1) << 2)) == 0) n--;
  store<u32>(a, n);
  return a;
}

export function natFromU64(x: u64): Nat {
  const a = natAlloc(2);
  setLimb(a, 0, <u32>x);
  setLimb(a, 1, <u32>(x >> 32));
  return trim(a);
}

/** The low 64 bits. */
export function natToU64(a: Nat): u64 {
  return <u64>limb(a, 0) | (<u64>limb(a, 1) << 32);
}

export function natIsZero(a: Nat): bool {
  return load<u32>(a) == 0;
}

export function natBitLen(a: Nat): u32 {
  const n = load<u32>(a);
  if (n == 0) return 0;
  return (n - 1) * 32 + (32 - <u32>clz(limb(a, n - 1)));
}

export function natCmp(a: Nat, b: Nat): i32 {
  const na = load<u32>(a);
  const nb = load<u32>(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function natAdd(a: Nat, b: Nat): Nat {
  const n = (natLen(a) > natLen(b) ? natLen(a) : natLen(b)) + 1;
  const r = natAlloc(n);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = <u64>limb(a, i) + <u64>limb(b, i) + carry;
    setLimb(r, i, <u32>s);
    carry = s >> 32;
  }
  return trim(r);
}

/** a - b for a >= b. */
export function natSub(a: Nat, b: Nat): Nat {
  const n = natLen(a);
  const r = natAlloc(n);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let d = <i64>limb(a, i) - <i64>limb(b, i) - borrow;
    borrow = 0;
    if (d < 0) {
      d += <i64>1 << 32;
      borrow = 1;
    }
    setLimb(r, i, <u32>d);
  }
  return trim(r);
}

export function natMulSmall(a: Nat, m: u32, add: u32): Nat {
  const n = natLen(a) + 1;
  const r = natAlloc(n);
  let carry: u64 = add;
  for (let i: u32 = 0; i < n; i++) {
    const p = <u64>limb(a, i) * <u64>m + carry;
    setLimb(r, i, <u32>p);
    carry = p >> 32;
  }
  return trim(r);
}

export function natMul(a: Nat, b: Nat): Nat {
  const na = natLen(a);
  const nb = natLen(b);
  const r = natAlloc(na + nb);
  memory.fill(r + 4, 0, <usize>(na + nb) << 2);
  for (let i: u32 = 0; i < na; i++) {
    let carry: u64 = 0;
    const x = <u64>limb(a, i);
    for (let j: u32 = 0; j < nb; j++) {
      const p = x * <u64>limb(b, j) + <u64>load<u32>(r + 4 + (<usize>(i + j) << 2)) + carry;
      setLimb(r, i + j, <u32>p);
      carry = p >> 32;
    }
    setLimb(r, i + nb, <u32>carry);
  }
  return trim(r);
}

export function natShl(a: Nat, s: u32): Nat {
  const words = s >> 5;
  const bits = s & 31;
  const n = natLen(a) + words + 1;
  const r = natAlloc(n);
  memory.fill(r + 4, 0, <usize>n << 2);
  for (let i: u32 = 0; i < natLen(a); i++) {
    const x = <u64>limb(a, i) << bits;
    const lo = <u32>x;
    const hi = <u32>(x >> 32);
    setLimb(r, i + words, load<u32>(r + 4 + (<usize>(i + words) << 2)) | lo);
    setLimb(r, i + words + 1, hi);
  }
  return trim(r);
}

/** floor(a / 2^s). */
export function natShr(a: Nat, s: u32): Nat {
  const words = s >> 5;
  const bits = s & 31;
  const na = natLen(a);
  if (words >= na) return natAlloc(0);
  const n = na - words;
  const r = natAlloc(n);
  for (let i: u32 = 0; i < n; i++) {
    const x = (<u64>limb(a, i + words + 1) << 32) | <u64>limb(a, i + words);
    setLimb(r, i, <u32>(x >> bits));
  }
  return trim(r);
}

/** Is bit i set? */
export function natBit(a: Nat, i: u32): bool {
  return ((limb(a, i >> 5) >> (i & 31)) & 1) != 0;
}

/** Is any of the bits below bit s set? */
export function natLowBitsNonZero(a: Nat, s: u32): bool {
  const words = s >> 5;
  for (let i: u32 = 0; i < words && i < natLen(a); i++) if (limb(a, i) != 0) return true;
  const bits = s & 31;
  return bits != 0 && (limb(a, words) & ((1 << bits) - 1)) != 0;
}

/** Quotient of a / b (b > 0); the remainder is left in natRemainder. Bit by bit: sizes here are small. */
export let natRemainder: Nat = 0;
export function natDivMod(a: Nat, b: Nat): Nat {
  const bitsA = natBitLen(a);
  const q = natAlloc(natLen(a) > 0 ? natLen(a) : 1);
  memory.fill(q + 4, 0, <usize>natLen(q) << 2);
  // r holds up to bitLen(b) + 1 bits.
  const rn = natLen(b) + 2;
  let r = natAlloc(rn);
  memory.fill(r + 4, 0, <usize>rn << 2);
  store<u32>(r, 0);
  for (let i = <i32>bitsA - 1; i >= 0; i--) {
    r = natShlOneOr(r, natBit(a, <u32>i));
    if (natCmp(r, b) >= 0) {
      r = natSub(r, b);
      setLimb(q, <u32>i >> 5, limb(q, <u32>i >> 5) | (1 << (<u32>i & 31)));
    }
  }
  natRemainder = r;
  return trim(q);
}

function natShlOneOr(a: Nat, bit: bool): Nat {
  const r = natShl(a, 1);
  if (!bit) return r;
  return natAdd(r, natFromU64(1));
}

/** 5^k. */
export function natPow5(k: u32): Nat {
  let r = natFromU64(1);
  while (k >= 13) {
    r = natMulSmall(r, 1220703125, 0); // 5^13
    k -= 13;
  }
  let m: u32 = 1;
  for (let i: u32 = 0; i < k; i++) m *= 5;
  return natMulSmall(r, m, 0);
}

/** Digits 0-9 as ASCII. */
export function natFromDecimal(p: usize, n: u32): Nat {
  let r = natAlloc(0);
  let i: u32 = 0;
  while (i < n) {
    let chunk: u32 = 0;
    let mul: u32 = 1;
    for (let j: u32 = 0; j < 9 && i < n; j++, i++) {
      chunk = chunk * 10 + (<u32>load<u8>(p + i) - 0x30);
      mul *= 10;
    }
    r = natMulSmall(r, mul, chunk);
  }
  return r;
}

/** Decimal digits of a (no leading zeros; "0" for zero) written to a fresh buffer; natDigitsLen gets the length. */
export let natDigitsLen: u32 = 0;
export function natToDecimal(a: Nat): usize {
  const cap = natLen(a) * 10 + 10;
  const buf = malloc(cap);
  let pos = cap;
  let cur = a;
  if (natIsZero(cur)) {
    store<u8>(buf, 0x30);
    natDigitsLen = 1;
    return buf;
  }
  while (!natIsZero(cur)) {
    // divide by 10^9
    const n = natLen(cur);
    const q = natAlloc(n);
    let rem: u64 = 0;
    for (let i = <i32>n - 1; i >= 0; i--) {
      const x = (rem << 32) | <u64>limb(cur, <u32>i);
      setLimb(q, <u32>i, <u32>(x / 1000000000));
      rem = x % 1000000000;
    }
    cur = trim(q);
    let chunk = <u32>rem;
    for (let j = 0; j < 9; j++) {
      pos--;
      store<u8>(buf + pos, <u8>(0x30 + chunk % 10));
      chunk /= 10;
      if (natIsZero(cur) && chunk == 0) break;
    }
  }
  natDigitsLen = cap - pos;
  return buf + pos;
}
