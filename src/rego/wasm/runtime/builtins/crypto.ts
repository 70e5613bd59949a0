// Hash builtins: crypto.sha256, crypto.sha1, crypto.md5 and crypto.hmac.sha256 (lowercase hex of the digest of the string's UTF-8 bytes).

import { Value, UNDEFINED, typeOf, T_STRING, makeString, makeBool, stringPtr, stringLen } from '../value';
import { malloc } from '../memory';
import { digestSha256, digestSha1, digestMd5, digestHmacSha256, digestHexEncode } from './digest_core';

export function builtin_crypto_sha256(x: Value): Value {
  if (typeOf(x) != T_STRING) return UNDEFINED;
  const d = malloc(32);
  digestSha256(stringPtr(x), stringLen(x), d);
  return hex(d, 32);
}

export function builtin_crypto_sha1(x: Value): Value {
  if (typeOf(x) != T_STRING) return UNDEFINED;
  const d = malloc(20);
  digestSha1(stringPtr(x), stringLen(x), d);
  return hex(d, 20);
}

export function builtin_crypto_md5(x: Value): Value {
  if (typeOf(x) != T_STRING) return UNDEFINED;
  const d = malloc(16);
  digestMd5(stringPtr(x), stringLen(x), d);
  return hex(d, 16);
}

/** crypto.hmac.sha256(x, key) -> hex HMAC-SHA-256 of x under key. */
export function builtin_crypto_hmac_sha256(x: Value, key: Value): Value {
  if (typeOf(x) != T_STRING || typeOf(key) != T_STRING) return UNDEFINED;
  const d = malloc(32);
  digestHmacSha256(stringPtr(key), stringLen(key), stringPtr(x), stringLen(x), d);
  return hex(d, 32);
}

/**
 * crypto.hmac.equal(mac1, mac2) -> whether two MACs are equal, comparing every byte whatever
 * differs first (constant time in the length, as Go's hmac.Equal).
 */
export function builtin_crypto_hmac_equal(a: Value, b: Value): Value {
  if (typeOf(a) != T_STRING || typeOf(b) != T_STRING) return UNDEFINED;
  const n = stringLen(a);
  if (n != stringLen(b)) return makeBool(false);
  const pa = stringPtr(a);
  const pb = stringPtr(b);
  let diff: u32 = 0;
  for (let i: u32 = 0; i < <u32>n; i++) diff |= <u32>(load<u8>(pa + i) ^ load<u8>(pb + i));
  return makeBool(diff == 0);
}

function hex(d: usize, n: u32): Value {
  const out = malloc(n * 2);
  digestHexEncode(d, n, out);
  return makeString(out, n * 2);
}
