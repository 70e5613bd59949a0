// IPv4/IPv6 address and CIDR parsing and containment with Go's net.ParseIP / net.ParseCIDR / IPNet.Contains rules.
//
// Addresses are 16 bytes (IPv4 as ::ffff:a.b.c.d, as Go stores them). An address or network
// is "IPv4-able" when it has that mapped form; Go compares such networks on the last 4 bytes.

/** Parses an IP literal at [p, p+n) into 16 bytes at out; false when invalid (Go's ParseIP: no zones, no leading zeros in IPv4). */
export function ipParse(p: usize, n: u32, out: usize): bool {
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e) return parseV4(p, n, out);
    if (c == 0x3a) return parseV6(p, n, out);
  }
  return false;
}

/** True when the 16-byte address has the IPv4-mapped form (Go's To4() != nil). */
export function ipIsV4(a: usize): bool {
  for (let i: u32 = 0; i < 10; i++) if (load<u8>(a + i) != 0) return false;
  return load<u8>(a + 10) == 0xff && load<u8>(a + 11) == 0xff;
}

/**
 * Parses "addr/bits" into the network address (masked) at out; returns the prefix length in the
 * 128-bit space (IPv4 literals: 96 + bits), or -1 when invalid (Go's ParseCIDR).
 */
export function ipParseCidr(p: usize, n: u32, out: usize): i32 {
  let slash: i32 = -1;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0x2f) { slash = <i32>i; break; }
  if (slash < 0) return -1;
  const addrLen = <u32>slash;
  if (!ipParse(p, addrLen, out)) return -1;
  let isV4Literal = true;
  for (let i: u32 = 0; i < addrLen; i++) if (load<u8>(p + i) == 0x3a) isV4Literal = false;
  const maxBits: i32 = isV4Literal ? 32 : 128;
  const mp = p + addrLen + 1;
  const mn = n - addrLen - 1;
  if (mn == 0 || mn > 3) return -1;
  let bits: i32 = 0;
  for (let i: u32 = 0; i < mn; i++) {
    const c = load<u8>(mp + i);
    if (c < 0x30 || c > 0x39) return -1;
    bits = bits * 10 + (<i32>c - 0x30);
  }
  if (bits > maxBits) return -1;
  const prefix = isV4Literal ? bits + 96 : bits;
  ipMask(out, prefix);
  return prefix;
}

/** Clears the bits of the 16-byte address past the prefix. */
export function ipMask(a: usize, prefix: i32): void {
  for (let i: i32 = 0; i < 16; i++) {
    const keep = prefix - i * 8;
    const m: u32 = keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    store<u8>(a + i, <u8>(<u32>load<u8>(a + i) & m));
  }
}

/** Sets the bits of the 16-byte address past the prefix (the network's last address). */
export function ipLast(a: usize, prefix: i32): void {
  for (let i: i32 = 0; i < 16; i++) {
    const keep = prefix - i * 8;
    const m: u32 = keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    store<u8>(a + i, <u8>(<u32>load<u8>(a + i) | (~m & 0xff)));
  }
}

/** Go's IPNet.Contains: the network (masked address, prefix in 128-bit space) contains ip. */
export function ipNetContains(net: usize, prefix: i32, ip: usize): bool {
  const netV4 = ipIsV4(net);
  if (netV4 != ipIsV4(ip)) return false;
  // An IPv4-able network compares only the last 32 bits (its mask is at least /96).
  const effective = netV4 && prefix < 96 ? 96 : prefix;
  for (let i: i32 = netV4 ? 12 : 0; i < 16; i++) {
    const keep = effective - i * 8;
    const m: u32 = keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((<u32>load<u8>(net + i) & m) != (<u32>load<u8>(ip + i) & m)) return false;
  }
  return true;
}

function parseV4(p: usize, n: u32, out: usize): bool {
  memory.fill(out, 0, 10);
  store<u8>(out + 10, 0xff);
  store<u8>(out + 11, 0xff);
  return parseV4Into(p, n, out + 12);
}

function parseV4Into(p: usize, n: u32, out: usize): bool {
  let part: u32 = 0;
  let i: u32 = 0;
  while (part < 4) {
    if (i >= n) return false;
    let v: u32 = 0;
    let digits: u32 = 0;
    const start = i;
    while (i < n && load<u8>(p + i) >= 0x30 && load<u8>(p + i) <= 0x39) {
      v = v * 10 + (<u32>load<u8>(p + i) - 0x30);
      digits++;
      i++;
      if (digits > 3) return false;
    }
    if (digits == 0 || v > 255) return false;
    if (digits > 1 && load<u8>(p + start) == 0x30) return false; // leading zeros are ambiguous (octal): rejected as Go does
    store<u8>(out + part, <u8>v);
    part++;
    if (part < 4) {
      if (i >= n || load<u8>(p + i) != 0x2e) return false;
      i++;
    }
  }
  return i == n;
}

function parseV6(p: usize, n: u32, out: usize): bool {
  memory.fill(out, 0, 16);
  let ellipsis: i32 = -1;
  let j: i32 = 0; // bytes written
  let i: u32 = 0;
  if (n >= 2 && load<u8>(p) == 0x3a && load<u8>(p + 1) == 0x3a) {
    ellipsis = 0;
    i = 2;
    if (i == n) return true;
  }
  while (j < 16) {
    // hex group
    let v: u32 = 0;
    let digits: u32 = 0;
    const start = i;
    while (i < n) {
      const c = <u32>load<u8>(p + i);
      let d: u32 = 0;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else break;
      v = (v << 4) | d;
      digits++;
      i++;
      if (digits > 4) return false;
    }
    if (digits == 0) return false;
    // embedded IPv4 in the last 4 bytes
    if (i < n && load<u8>(p + i) == 0x2e) {
      if (ellipsis < 0 && j != 12) return false;
      if (j + 4 > 16) return false;
      if (!parseV4Into(p + start, n - start, out + j)) return false;
      j += 4;
      i = n;
      break;
    }
    store<u8>(out + j, <u8>(v >> 8));
    store<u8>(out + j + 1, <u8>v);
    j += 2;
    if (i == n) break;
    if (load<u8>(p + i) != 0x3a || i + 1 == n) return false;
    i++;
    if (load<u8>(p + i) == 0x3a) {
      if (ellipsis >= 0) return false;
      ellipsis = j;
      i++;
      if (i == n) break;
    }
  }
  if (i != n) return false;
  if (j < 16) {
    if (ellipsis < 0) return false;
    const move = j - ellipsis;
    const shift = 16 - j;
    for (let k = move - 1; k >= 0; k--) store<u8>(out + ellipsis + k + shift, load<u8>(out + ellipsis + k));
    for (let k = ellipsis; k < ellipsis + shift; k++) store<u8>(out + k, 0);
  } else if (ellipsis >= 0) return false; // "::" must stand for at least one group
  return true;
}

/** Writes Go's text of the 16-byte address at out (dotted IPv4 for the mapped form, RFC 5952 IPv6 otherwise); returns its length. */
export function ipFormat(a: usize, out: usize): u32 {
  let o: u32 = 0;
  if (ipIsV4(a)) {
    for (let i: u32 = 12; i < 16; i++) {
      o += writeDecimal(out + o, <u32>load<u8>(a + i));
      if (i < 15) store<u8>(out + o++, 0x2e);
    }
    return o;
  }
  // Longest run (>= 2) of zero groups, the first one on ties.
  let bestStart: i32 = -1, bestLen: i32 = 0;
  for (let g: i32 = 0; g < 8; ) {
    if (group(a, g) != 0) { g++; continue; }
    let e = g;
    while (e < 8 && group(a, e) == 0) e++;
    if (e - g > bestLen && e - g >= 2) { bestStart = g; bestLen = e - g; }
    g = e;
  }
  for (let g: i32 = 0; g < 8; g++) {
    if (g == bestStart) {
      store<u8>(out + o++, 0x3a);
      store<u8>(out + o++, 0x3a);
      g += bestLen - 1;
      continue;
    }
    if (g > 0 && g != bestStart + bestLen) store<u8>(out + o++, 0x3a);
    const v = group(a, g);
    let started = false;
    for (let s: i32 = 12; s >= 0; s -= 4) {
      const d = (v >> <u32>s) & 15;
      if (d != 0 || started || s == 0) {
        store<u8>(out + o++, <u8>(d < 10 ? 0x30 + d : 0x57 + d));
        started = true;
      }
    }
  }
  return o;
}

@inline function group(a: usize, g: i32): u32 {
  return (<u32>load<u8>(a + g * 2) << 8) | <u32>load<u8>(a + g * 2 + 1);
}

function writeDecimal(p: usize, v: u32): u32 {
  if (v >= 100) {
    store<u8>(p, <u8>(0x30 + v / 100));
    store<u8>(p + 1, <u8>(0x30 + (v / 10) % 10));
    store<u8>(p + 2, <u8>(0x30 + v % 10));
    return 3;
  }
  if (v >= 10) {
    store<u8>(p, <u8>(0x30 + v / 10));
    store<u8>(p + 1, <u8>(0x30 + v % 10));
    return 2;
  }
  store<u8>(p, <u8>(0x30 + v));
  return 1;
}

/** Adds one to the 16-byte address (wrapping). */
export function ipIncrement(a: usize): void {
  for (let i: i32 = 15; i >= 0; i--) {
    const v = <u32>load<u8>(a + i) + 1;
    store<u8>(a + i, <u8>v);
    if (v < 256) return;
  }
}
