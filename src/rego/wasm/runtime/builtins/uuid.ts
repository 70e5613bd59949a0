// UUID builtins: uuid.parse (google/uuid formats and OPA's decoded fields) and uuid.rfc4122.

import {
  Value, UNDEFINED, typeOf, T_STRING, makeInt, makeObject, objectInsert, makeString, stringPtr, stringLen,
} from '../value';
import { malloc } from '../memory';
import { bufNew, bufLit, bufI64, bufToString } from './byte_buffer';
import { digestSha256, digestHexEncode } from './digest_core';
import { operandAsciiString } from './operand_support';

/**
 * uuid.parse(s) -> {version, variant} plus, for versions 1 and 2, time (ns since the epoch),
 * nodeid ("aa-bb-…"), macvariables and clocksequence, and for version 2 id and domain — the
 * fields OPA decodes. Accepts 36-char, {braced}, urn:uuid: and 32-hex forms; undefined otherwise.
 */
export function builtin_uuid_parse(s: Value): Value {
  if (typeOf(s) != T_STRING) return UNDEFINED;
  const u = malloc(16);
  if (!parseUuid(stringPtr(s), stringLen(s), u)) return UNDEFINED;
  const version = <i64>(load<u8>(u + 6) >> 4);
  const out = makeObject(8);
  objectInsert(out, operandAsciiString('version'), makeInt(version));
  objectInsert(out, operandAsciiString('variant'), variantName(load<u8>(u + 8)));
  if (version == 1 || version == 2) {
    const timeLow = <i64>bswap<u32>(load<u32>(u));
    const timeMid = <i64>bswap<u16>(load<u16>(u + 4));
    const timeHi = <i64>(bswap<u16>(load<u16>(u + 6)) & 0xfff);
    const ticks = timeLow | (timeMid << 32) | (timeHi << 48);
    objectInsert(out, operandAsciiString('time'), makeInt((ticks - 122192928000000000) * 100));
    const node = malloc(17);
    for (let i: u32 = 0; i < 6; i++) {
      digestHexEncode(u + 10 + i, 1, node + i * 3);
      if (i < 5) store<u8>(node + i * 3 + 2, 0x2d);
    }
    objectInsert(out, operandAsciiString('nodeid'), makeString(node, 17));
    objectInsert(out, operandAsciiString('macvariables'), macVariables(load<u8>(u + 10)));
    objectInsert(out, operandAsciiString('clocksequence'), makeInt(<i64>(bswap<u16>(load<u16>(u + 8)) & 0x3fff)));
    if (version == 2) {
      objectInsert(out, operandAsciiString('id'), makeInt(timeLow));
      objectInsert(out, operandAsciiString('domain'), domainName(load<u8>(u + 9)));
    }
  }
  return out;
}

/**
 * uuid.rfc4122(k) -> a version 4 UUID string, the same for the same k. OPA draws random bytes
 * once per key and query; a WebAssembly module has no entropy source, so the bytes here are
 * SHA-256(k): stable within (and across) evaluations, and NOT unpredictable.
 */
export function builtin_uuid_rfc4122(k: Value): Value {
  if (typeOf(k) != T_STRING) return UNDEFINED;
  const d = malloc(32);
  digestSha256(stringPtr(k), stringLen(k), d);
  store<u8>(d + 8, (load<u8>(d + 8) & 0x3f) | 0x80);
  store<u8>(d + 6, (load<u8>(d + 6) & 0x0f) | 0x40);
  const out = malloc(36);
  let o: u32 = 0;
  for (let i: u32 = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) store<u8>(out + o++, 0x2d);
    digestHexEncode(d + i, 1, out + o);
    o += 2;
  }
  return makeString(out, 36);
}

function parseUuid(p: usize, n: u32, out: usize): bool {
  if (n == 36 + 9) {
    if (!prefixNoCase(p, 'urn:uuid:')) return false;
    p += 9;
    n = 36;
  } else if (n == 38) {
    if (load<u8>(p) != 0x7b || load<u8>(p + 37) != 0x7d) return false;
    p += 1;
    n = 36;
  }
  if (n == 32) {
    for (let i: u32 = 0; i < 16; i++) {
      const b = hexByte(p + i * 2);
      if (b < 0) return false;
      store<u8>(out + i, <u8>b);
    }
    return true;
  }
  if (n != 36) return false;
  if (load<u8>(p + 8) != 0x2d || load<u8>(p + 13) != 0x2d || load<u8>(p + 18) != 0x2d || load<u8>(p + 23) != 0x2d) return false;
  let o: u32 = 0;
  let i: u32 = 0;
  while (i < 36) {
    if (i == 8 || i == 13 || i == 18 || i == 23) { i++; continue; }
    const b = hexByte(p + i);
    if (b < 0) return false;
    store<u8>(out + o++, <u8>b);
    i += 2;
  }
  return true;
}

function hexByte(p: usize): i32 {
  const h = hexVal(load<u8>(p));
  const l = hexVal(load<u8>(p + 1));
  if (h < 0 || l < 0) return -1;
  return (h << 4) | l;
}

function hexVal(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x57;
  if (c >= 0x41 && c <= 0x46) return <i32>c - 0x37;
  return -1;
}

function prefixNoCase(p: usize, s: string): bool {
  for (let i = 0; i < s.length; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c != <u32>s.charCodeAt(i)) return false;
  }
  return true;
}

function variantName(b: u8): Value {
  if ((b & 0xc0) == 0x80) return operandAsciiString('RFC4122');
  if ((b & 0xe0) == 0xc0) return operandAsciiString('Microsoft');
  if ((b & 0xe0) == 0xe0) return operandAsciiString('Future');
  return operandAsciiString('Reserved');
}

function macVariables(b: u8): Value {
  if ((b & 3) == 3) return operandAsciiString('local:multicast');
  if ((b & 1) == 1) return operandAsciiString('global:multicast');
  if ((b & 2) == 2) return operandAsciiString('local:unicast');
  return operandAsciiString('global:unicast');
}

function domainName(d: u8): Value {
  if (d == 0) return operandAsciiString('Person');
  if (d == 1) return operandAsciiString('Group');
  if (d == 2) return operandAsciiString('Org');
  const b = bufNew(12);
  bufLit(b, 'Domain');
  bufI64(b, <i64>d);
  return bufToString(b);
}
