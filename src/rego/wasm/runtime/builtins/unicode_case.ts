// Simple (one-to-one) Unicode case mapping as Go's unicode.ToLower/ToUpper, for Latin, Greek, Cyrillic, Armenian and a few more blocks.
//
// ASCII is exact and fast. Outside the covered blocks code points map to themselves. There is
// no context-sensitive mapping (Go has none either: lower("Σ") is always "σ").

/** An alternating pair block: in [lo, hi], code points with parity `upperParity` are upper case and +1 is their lower case. */
@inline function pairLower(c: u32, lo: u32, hi: u32, upperParity: u32): i64 {
  if (c >= lo && c <= hi && (c & 1) == upperParity) return c + 1;
  return -1;
}

@inline function pairUpper(c: u32, lo: u32, hi: u32, upperParity: u32): i64 {
  if (c >= lo && c <= hi + 1 && (c & 1) != upperParity && c > lo) return c - 1;
  return -1;
}

export function toLowerRune(c: u32): u32 {
  if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c < 0x100) return (c >= 0xc0 && c <= 0xde && c != 0xd7) ? c + 32 : c;
  if (c < 0x180) {
    if (c == 0x130) return 0x69;
    if (c == 0x178) return 0xff;
    let r = pairLower(c, 0x100, 0x137, 0); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x139, 0x148, 1); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x14a, 0x177, 0); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x179, 0x17e, 1); if (r >= 0) return <u32>r;
    return c;
  }
  if (c < 0x250) return latinBLower(c);
  if (c < 0x370) return c;
  if (c < 0x400) return greekLower(c);
  if (c < 0x530) {
    if (c < 0x410) return c + 80;
    if (c < 0x430) return c + 32;
    if (c < 0x460) return c;
    if (c == 0x4c0) return 0x4cf;
    let r = pairLower(c, 0x460, 0x481, 0); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x48a, 0x4bf, 0); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x4c1, 0x4ce, 1); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x4d0, 0x52f, 0); if (r >= 0) return <u32>r;
    return c;
  }
  if (c >= 0x531 && c <= 0x556) return c + 48;
  if (c >= 0x10a0 && c <= 0x10c5) return c + 7264; // Georgian Asomtavruli → Nuskhuri
  if (c >= 0x1e00 && c < 0x1f00) {
    if (c == 0x1e9e) return 0xdf;
    let r = pairLower(c, 0x1e00, 0x1e95, 0); if (r >= 0) return <u32>r;
    r = pairLower(c, 0x1ea0, 0x1eff, 0); if (r >= 0) return <u32>r;
    return c;
  }
  if (c >= 0x1f00 && c < 0x2000) return greekExtLower(c);
  // Letterlike symbols that are upper case of ordinary letters (Go: ToLower(KELVIN SIGN) == 'k').
  if (c == 0x2126) return 0x3c9;
  if (c == 0x212a) return 0x6b;
  if (c == 0x212b) return 0xe5;
  if (c >= 0x2160 && c <= 0x216f) return c + 16;
  if (c >= 0x24b6 && c <= 0x24cf) return c + 26;
  if (c >= 0x2c00 && c <= 0x2c2f) return c + 48; // Glagolitic
  if (c >= 0x2c60 && c <= 0x2c7f) return latinCLower(c);
  if (c >= 0xff21 && c <= 0xff3a) return c + 32;
  if (c >= 0x10400 && c <= 0x10427) return c + 40;
  return c;
}

export function toUpperRune(c: u32): u32 {
  if (c < 0x80) return c >= 97 && c <= 122 ? c - 32 : c;
  if (c < 0x100) {
    if (c == 0xb5) return 0x39c;
    if (c == 0xff) return 0x178;
    return (c >= 0xe0 && c <= 0xfe && c != 0xf7) ? c - 32 : c;
  }
  if (c < 0x180) {
    if (c == 0x131) return 0x49;
    if (c == 0x17f) return 0x53;
    let r = pairUpper(c, 0x100, 0x137, 0); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x139, 0x148, 1); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x14a, 0x177, 0); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x179, 0x17e, 1); if (r >= 0) return <u32>r;
    return c;
  }
  if (c < 0x2b0) return latinBUpper(c);
  if (c < 0x370) return c;
  if (c < 0x400) return greekUpper(c);
  if (c < 0x530) {
    if (c < 0x430) return c;
    if (c < 0x450) return c - 32;
    if (c < 0x460) return c - 80;
    if (c == 0x4cf) return 0x4c0;
    let r = pairUpper(c, 0x460, 0x481, 0); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x48a, 0x4bf, 0); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x4c1, 0x4ce, 1); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x4d0, 0x52f, 0); if (r >= 0) return <u32>r;
    return c;
  }
  if (c >= 0x561 && c <= 0x586) return c - 48;
  if (c == 0x1d7d) return 0x2c63;
  if (c >= 0x2d00 && c <= 0x2d25) return c - 7264;
  if (c >= 0x1e00 && c < 0x1f00) {
    let r = pairUpper(c, 0x1e00, 0x1e95, 0); if (r >= 0) return <u32>r;
    r = pairUpper(c, 0x1ea0, 0x1eff, 0); if (r >= 0) return <u32>r;
    return c;
  }
  if (c >= 0x1f00 && c < 0x2000) return greekExtUpper(c);
  if (c >= 0x2170 && c <= 0x217f) return c - 16;
  if (c >= 0x24d0 && c <= 0x24e9) return c - 26;
  if (c >= 0x2c30 && c <= 0x2c5f) return c - 48;
  if (c >= 0x2c60 && c <= 0x2c7f) return latinCUpper(c);
  if (c >= 0xff41 && c <= 0xff5a) return c - 32;
  if (c >= 0x10428 && c <= 0x1044f) return c - 40;
  return c;
}

// Latin Extended-B (0x180..0x24f) and IPA letters that are lower cases of Extended-B capitals.
// Table of [upper, lower] pairs that are not simple alternating blocks.
const LATIN_B_PAIRS = memory.data<u16>([
  0x181, 0x253, 0x186, 0x254, 0x189, 0x256, 0x18a, 0x257, 0x18e, 0x1dd, 0x18f, 0x259,
  0x190, 0x25b, 0x193, 0x260, 0x194, 0x263, 0x196, 0x269, 0x197, 0x268, 0x19c, 0x26f,
  0x19d, 0x272, 0x19f, 0x275, 0x1a6, 0x280, 0x1a9, 0x283, 0x1ae, 0x288, 0x1b1, 0x28a,
  0x1b2, 0x28b, 0x1b7, 0x292, 0x1f6, 0x195, 0x1f7, 0x1bf, 0x220, 0x19e, 0x23a, 0x2c65,
  0x23d, 0x19a, 0x23e, 0x2c66, 0x243, 0x180, 0x244, 0x289, 0x245, 0x28c,
  0x182, 0x183, 0x184, 0x185, 0x187, 0x188, 0x18b, 0x18c, 0x191, 0x192, 0x198, 0x199,
  0x1a7, 0x1a8, 0x1ac, 0x1ad, 0x1af, 0x1b0, 0x1b3, 0x1b4, 0x1b5, 0x1b6, 0x1b8, 0x1b9,
  0x1bc, 0x1bd, 0x1f4, 0x1f5, 0x23b, 0x23c, 0x241, 0x242,
]);
const LATIN_B_PAIR_COUNT: u32 = 44;

function latinBLower(c: u32): u32 {
  // DŽ/Dž/dž style triples: upper, title, lower.
  if (c == 0x1c4 || c == 0x1c7 || c == 0x1ca || c == 0x1f1) return c + 2;
  if (c == 0x1c5 || c == 0x1c8 || c == 0x1cb || c == 0x1f2) return c + 1;
  let r = pairLower(c, 0x1cd, 0x1dc, 1); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x1de, 0x1ef, 0); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x1f8, 0x21f, 0); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x222, 0x233, 0); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x246, 0x24f, 0); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x1a0, 0x1a5, 0); if (r >= 0) return <u32>r;
  for (let i: u32 = 0; i < LATIN_B_PAIR_COUNT; i++) {
    if (<u32>load<u16>(LATIN_B_PAIRS + (i << 2)) == c) return <u32>load<u16>(LATIN_B_PAIRS + (i << 2) + 2);
  }
  return c;
}

function latinBUpper(c: u32): u32 {
  if (c == 0x1c6 || c == 0x1c9 || c == 0x1cc || c == 0x1f3) return c - 2;
  if (c == 0x1c5 || c == 0x1c8 || c == 0x1cb || c == 0x1f2) return c - 1;
  if (c == 0x1dd) return 0x18e;
  let r = pairUpper(c, 0x1cd, 0x1dc, 1); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x1de, 0x1ef, 0); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x1f8, 0x21f, 0); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x222, 0x233, 0); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x246, 0x24f, 0); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x1a0, 0x1a5, 0); if (r >= 0) return <u32>r;
  switch (c) {
    case 0x250: return 0x2c6f;
    case 0x251: return 0x2c6d;
    case 0x252: return 0x2c70;
    case 0x26b: return 0x2c62;
    case 0x271: return 0x2c6e;
    case 0x27d: return 0x2c64;
    case 0x23f: return 0x2c7e;
    case 0x240: return 0x2c7f;
  }
  for (let i: u32 = 0; i < LATIN_B_PAIR_COUNT; i++) {
    if (<u32>load<u16>(LATIN_B_PAIRS + (i << 2) + 2) == c) return <u32>load<u16>(LATIN_B_PAIRS + (i << 2));
  }
  return c;
}

function latinCLower(c: u32): u32 {
  switch (c) {
    case 0x2c60: return 0x2c61;
    case 0x2c62: return 0x26b;
    case 0x2c63: return 0x1d7d;
    case 0x2c64: return 0x27d;
    case 0x2c6d: return 0x251;
    case 0x2c6e: return 0x271;
    case 0x2c6f: return 0x250;
    case 0x2c70: return 0x252;
    case 0x2c72: return 0x2c73;
    case 0x2c75: return 0x2c76;
    case 0x2c7e: return 0x23f;
    case 0x2c7f: return 0x240;
  }
  const r = pairLower(c, 0x2c67, 0x2c6c, 1);
  return r >= 0 ? <u32>r : c;
}

function latinCUpper(c: u32): u32 {
  switch (c) {
    case 0x2c61: return 0x2c60;
    case 0x2c65: return 0x23a;
    case 0x2c66: return 0x23e;
    case 0x2c73: return 0x2c72;
    case 0x2c76: return 0x2c75;
  }
  const r = pairUpper(c, 0x2c67, 0x2c6c, 1);
  return r >= 0 ? <u32>r : c;
}

function greekLower(c: u32): u32 {
  if (c >= 0x391 && c <= 0x3ab && c != 0x3a2) return c + 32;
  switch (c) {
    case 0x386: return 0x3ac;
    case 0x388: return 0x3ad;
    case 0x389: return 0x3ae;
    case 0x38a: return 0x3af;
    case 0x38c: return 0x3cc;
    case 0x38e: return 0x3cd;
    case 0x38f: return 0x3ce;
    case 0x37f: return 0x3f3;
    case 0x376: return 0x377;
    case 0x3cf: return 0x3d7;
    case 0x3f4: return 0x3b8;
    case 0x3f7: return 0x3f8;
    case 0x3f9: return 0x3f2;
    case 0x3fa: return 0x3fb;
    case 0x3fd: return 0x37b;
    case 0x3fe: return 0x37c;
    case 0x3ff: return 0x37d;
  }
  let r = pairLower(c, 0x370, 0x373, 0); if (r >= 0) return <u32>r;
  r = pairLower(c, 0x3d8, 0x3ef, 0); if (r >= 0) return <u32>r;
  return c;
}

function greekUpper(c: u32): u32 {
  if (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2) return c - 32;
  switch (c) {
    case 0x3c2: return 0x3a3;
    case 0x3ac: return 0x386;
    case 0x3ad: return 0x388;
    case 0x3ae: return 0x389;
    case 0x3af: return 0x38a;
    case 0x3cc: return 0x38c;
    case 0x3cd: return 0x38e;
    case 0x3ce: return 0x38f;
    case 0x3f3: return 0x37f;
    case 0x377: return 0x376;
    case 0x3d7: return 0x3cf;
    case 0x3d0: return 0x392;
    case 0x3d1: return 0x398;
    case 0x3d5: return 0x3a6;
    case 0x3d6: return 0x3a0;
    case 0x3f0: return 0x39a;
    case 0x3f1: return 0x3a1;
    case 0x3f2: return 0x3f9;
    case 0x3f5: return 0x395;
    case 0x3f8: return 0x3f7;
    case 0x3fb: return 0x3fa;
    case 0x37b: return 0x3fd;
    case 0x37c: return 0x3fe;
    case 0x37d: return 0x3ff;
  }
  let r = pairUpper(c, 0x370, 0x373, 0); if (r >= 0) return <u32>r;
  r = pairUpper(c, 0x3d8, 0x3ef, 0); if (r >= 0) return <u32>r;
  return c;
}

// Greek Extended: lower forms sit 8 below their capitals within each block of 16.
function greekExtLower(c: u32): u32 {
  const lo = c & 0xf;
  const blk = c & 0xfff0;
  if (blk == 0x1f00 || blk == 0x1f10 || blk == 0x1f20 || blk == 0x1f30 || blk == 0x1f40 || blk == 0x1f60 ||
      blk == 0x1f80 || blk == 0x1f90 || blk == 0x1fa0) {
    if (lo >= 8) {
      if ((blk == 0x1f10 || blk == 0x1f40) && lo >= 0xe) return c;
      return c - 8;
    }
    return c;
  }
  if (blk == 0x1f50) return (lo >= 8 && (lo & 1) == 1) ? c - 8 : c;
  switch (c) {
    case 0x1fb8: return 0x1fb0;
    case 0x1fb9: return 0x1fb1;
    case 0x1fba: return 0x1f70;
    case 0x1fbb: return 0x1f71;
    case 0x1fbc: return 0x1fb3;
    case 0x1fc8: return 0x1f72;
    case 0x1fc9: return 0x1f73;
    case 0x1fca: return 0x1f74;
    case 0x1fcb: return 0x1f75;
    case 0x1fcc: return 0x1fc3;
    case 0x1fd8: return 0x1fd0;
    case 0x1fd9: return 0x1fd1;
    case 0x1fda: return 0x1f76;
    case 0x1fdb: return 0x1f77;
    case 0x1fe8: return 0x1fe0;
    case 0x1fe9: return 0x1fe1;
    case 0x1fea: return 0x1f7a;
    case 0x1feb: return 0x1f7b;
    case 0x1fec: return 0x1fe5;
    case 0x1ff8: return 0x1f78;
    case 0x1ff9: return 0x1f79;
    case 0x1ffa: return 0x1f7c;
    case 0x1ffb: return 0x1f7d;
    case 0x1ffc: return 0x1ff3;
  }
  return c;
}

function greekExtUpper(c: u32): u32 {
  const lo = c & 0xf;
  const blk = c & 0xfff0;
  if (blk == 0x1f00 || blk == 0x1f10 || blk == 0x1f20 || blk == 0x1f30 || blk == 0x1f40 || blk == 0x1f60 ||
      blk == 0x1f80 || blk == 0x1f90 || blk == 0x1fa0) {
    if (lo < 8) {
      if ((blk == 0x1f10 || blk == 0x1f40) && lo >= 6) return c;
      return c + 8;
    }
    return c;
  }
  if (blk == 0x1f50) return (lo < 8 && (lo & 1) == 1) ? c + 8 : c;
  switch (c) {
    case 0x1f70: return 0x1fba;
    case 0x1f71: return 0x1fbb;
    case 0x1f72: return 0x1fc8;
    case 0x1f73: return 0x1fc9;
    case 0x1f74: return 0x1fca;
    case 0x1f75: return 0x1fcb;
    case 0x1f76: return 0x1fda;
    case 0x1f77: return 0x1fdb;
    case 0x1f78: return 0x1ff8;
    case 0x1f79: return 0x1ff9;
    case 0x1f7a: return 0x1fea;
    case 0x1f7b: return 0x1feb;
    case 0x1f7c: return 0x1ffa;
    case 0x1f7d: return 0x1ffb;
    case 0x1fb0: return 0x1fb8;
    case 0x1fb1: return 0x1fb9;
    case 0x1fb3: return 0x1fbc;
    case 0x1fc3: return 0x1fcc;
    case 0x1fd0: return 0x1fd8;
    case 0x1fd1: return 0x1fd9;
    case 0x1fe0: return 0x1fe8;
    case 0x1fe1: return 0x1fe9;
    case 0x1fe5: return 0x1fec;
    case 0x1ff3: return 0x1ffc;
    case 0x1fbe: return 0x399;
  }
  return c;
}

/** True when a and b are equal under simple case folding (as far as this table knows). */
export function runesFoldEqual(a: u32, b: u32): bool {
  if (a == b) return true;
  const la = toLowerRune(a);
  const lb = toLowerRune(b);
  if (la == lb) return true;
  return toUpperRune(a) == toUpperRune(b);
}
