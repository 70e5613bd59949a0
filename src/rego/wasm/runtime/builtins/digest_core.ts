// Message digests over raw bytes (MD5, SHA-1, SHA-256, HMAC-SHA-256) and hex encoding, for crypto.* and uuid/rand seeding.
//
// Every function takes (address, length) of input bytes and writes its digest to `out`
// (16, 20 or 32 bytes). Scratch space comes from the runtime's bump allocator.

import { malloc } from '../memory';

const SHA256_K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const MD5_K = memory.data<u32>([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

const MD5_S = memory.data<u8>([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
]);

/** Writes the 32-byte SHA-256 digest of bytes [src, src+len) to `out`. */
export function digestSha256(src: usize, len: usize, out: usize): void {
  const msg = padMessage(src, len, true);
  const blocks = msg.len >> 6;
  const w = malloc(64 * 4);
  let h0: u32 = 0x6a09e667, h1: u32 = 0xbb67ae85, h2: u32 = 0x3c6ef372, h3: u32 = 0xa54ff53a;
  let h4: u32 = 0x510e527f, h5: u32 = 0x9b05688c, h6: u32 = 0x1f83d9ab, h7: u32 = 0x5be0cd19;
  for (let b: usize = 0; b < blocks; b++) {
    const block = msg.ptr + (b << 6);
    for (let i: usize = 0; i < 16; i++) store<u32>(w + (i << 2), bswap<u32>(load<u32>(block + (i << 2))));
    for (let i: usize = 16; i < 64; i++) {
      const w15 = load<u32>(w + ((i - 15) << 2));
      const w2 = load<u32>(w + ((i - 2) << 2));
      const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
      store<u32>(w + (i << 2), load<u32>(w + ((i - 16) << 2)) + s0 + load<u32>(w + ((i - 7) << 2)) + s1);
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i: usize = 0; i < 64; i++) {
      const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = h + S1 + ch + load<u32>(SHA256_K + (i << 2)) + load<u32>(w + (i << 2));
      const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = S0 + maj;
      h = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    h0 += a; h1 += bb; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(out, bswap<u32>(h0)); store<u32>(out + 4, bswap<u32>(h1));
  store<u32>(out + 8, bswap<u32>(h2)); store<u32>(out + 12, bswap<u32>(h3));
  store<u32>(out + 16, bswap<u32>(h4)); store<u32>(out + 20, bswap<u32>(h5));
  store<u32>(out + 24, bswap<u32>(h6)); store<u32>(out + 28, bswap<u32>(h7));
}

/** Writes the 20-byte SHA-1 digest of bytes [src, src+len) to `out`. */
export function digestSha1(src: usize, len: usize, out: usize): void {
  const msg = padMessage(src, len, true);
  const blocks = msg.len >> 6;
  const w = malloc(80 * 4);
  let h0: u32 = 0x67452301, h1: u32 = 0xefcdab89, h2: u32 = 0x98badcfe, h3: u32 = 0x10325476, h4: u32 = 0xc3d2e1f0;
  for (let b: usize = 0; b < blocks; b++) {
    const block = msg.ptr + (b << 6);
    for (let i: usize = 0; i < 16; i++) store<u32>(w + (i << 2), bswap<u32>(load<u32>(block + (i << 2))));
    for (let i: usize = 16; i < 80; i++) {
      const x = load<u32>(w + ((i - 3) << 2)) ^ load<u32>(w + ((i - 8) << 2)) ^ load<u32>(w + ((i - 14) << 2)) ^ load<u32>(w + ((i - 16) << 2));
      store<u32>(w + (i << 2), rotl<u32>(x, 1));
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    for (let i: usize = 0; i < 80; i++) {
      let f: u32, k: u32;
      if (i < 20) { f = (bb & c) | (~bb & d); k = 0x5a827999; }
      else if (i < 40) { f = bb ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = bb ^ c ^ d; k = 0xca62c1d6; }
      const t = rotl<u32>(a, 5) + f + e + k + load<u32>(w + (i << 2));
      e = d; d = c; c = rotl<u32>(bb, 30); bb = a; a = t;
    }
    h0 += a; h1 += bb; h2 += c; h3 += d; h4 += e;
  }
  store<u32>(out, bswap<u32>(h0)); store<u32>(out + 4, bswap<u32>(h1));
  store<u32>(out + 8, bswap<u32>(h2)); store<u32>(out + 12, bswap<u32>(h3));
  store<u32>(out + 16, bswap<u32>(h4));
}

/** Writes the 16-byte MD5 digest of bytes [src, src+len) to `out`. */
export function digestMd5(src: usize, len: usize, out: usize): void {
  const msg = padMessage(src, len, false);
  const blocks = msg.len >> 6;
  let a0: u32 = 0x67452301, b0: u32 = 0xefcdab89, c0: u32 = 0x98badcfe, d0: u32 = 0x10325476;
  for (let b: usize = 0; b < blocks; b++) {
    const block = msg.ptr + (b << 6);
    let a = a0, bb = b0, c = c0, d = d0;
    for (let i: u32 = 0; i < 64; i++) {
      let f: u32, g: u32;
      if (i < 16) { f = (bb & c) | (~bb & d); g = i; }
      else if (i < 32) { f = (d & bb) | (~d & c); g = (5 * i + 1) & 15; }
      else if (i < 48) { f = bb ^ c ^ d; g = (3 * i + 5) & 15; }
      else { f = c ^ (bb | ~d); g = (7 * i) & 15; }
      const sum = a + f + load<u32>(MD5_K + (<usize>i << 2)) + load<u32>(block + (<usize>g << 2));
      a = d; d = c; c = bb;
      bb = bb + rotl<u32>(sum, <u32>load<u8>(MD5_S + <usize>i));
    }
    a0 += a; b0 += bb; c0 += c; d0 += d;
  }
  store<u32>(out, a0); store<u32>(out + 4, b0); store<u32>(out + 8, c0); store<u32>(out + 12, d0);
}

/** Writes the 32-byte HMAC-SHA-256 of message [msg, msg+msgLen) under key [key, key+keyLen) to `out`. */
export function digestHmacSha256(key: usize, keyLen: usize, msg: usize, msgLen: usize, out: usize): void {
  const k = malloc(64);
  memory.fill(k, 0, 64);
  if (keyLen > 64) digestSha256(key, keyLen, k);
  else memory.copy(k, key, keyLen);
  const inner = malloc(64 + msgLen);
  for (let i: usize = 0; i < 64; i++) store<u8>(inner + i, load<u8>(k + i) ^ 0x36);
  memory.copy(inner + 64, msg, msgLen);
  const outer = malloc(64 + 32);
  for (let i: usize = 0; i < 64; i++) store<u8>(outer + i, load<u8>(k + i) ^ 0x5c);
  digestSha256(inner, 64 + msgLen, outer + 64);
  digestSha256(outer, 96, out);
}

/** Writes the lowercase hex of bytes [src, src+len) to `out` (2*len bytes). */
export function digestHexEncode(src: usize, len: usize, out: usize): void {
  for (let i: usize = 0; i < len; i++) {
    const b = load<u8>(src + i);
    store<u8>(out + (i << 1), hexDigit(b >> 4));
    store<u8>(out + (i << 1) + 1, hexDigit(b & 15));
  }
}

function hexDigit(n: u32): u8 {
  return <u8>(n < 10 ? 48 + n : 87 + n);
}

// A padded copy of the message: 0x80, zeros, and the bit length (big-endian for SHA, little for MD5).
@unmanaged
class Padded {
  ptr: usize = 0;
  len: usize = 0;
}

function padMessage(src: usize, len: usize, bigEndian: bool): Padded {
  const total = ((len + 8) >> 6) + 1 << 6;
  const p = malloc(total);
  memory.copy(p, src, len);
  store<u8>(p + len, 0x80);
  memory.fill(p + len + 1, 0, total - len - 1);
  const bits = <u64>len << 3;
  if (bigEndian) store<u64>(p + total - 8, bswap<u64>(bits));
  else store<u64>(p + total - 8, bits);
  const r = changetype<Padded>(malloc(offsetof<Padded>()));
  r.ptr = p;
  r.len = total;
  return r;
}
