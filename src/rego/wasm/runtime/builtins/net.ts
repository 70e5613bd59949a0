// Network builtins: net.cidr_contains, net.cidr_intersects, net.cidr_is_valid, net.cidr_expand (and the deprecated net.cidr_overlap).

import { Value, UNDEFINED, typeOf, T_STRING, makeBool, stringPtr, stringLen, makeSet, setAppendUnsorted, setSortElems, makeString } from '../value';
import { malloc } from '../memory';
import { ipParse, ipParseCidr, ipNetContains, ipLast, ipFormat, ipIncrement } from './ip_core';

/** net.cidr_contains(cidr, cidr_or_ip): the address, or the whole second network, lies in cidr; undefined for invalid input. */
export function builtin_net_cidr_contains(cidr: Value, cidrOrIp: Value): Value {
  if (typeOf(cidr) != T_STRING || typeOf(cidrOrIp) != T_STRING) return UNDEFINED;
  const net = malloc(16);
  const prefix = ipParseCidr(stringPtr(cidr), stringLen(cidr), net);
  if (prefix < 0) return UNDEFINED;
  const ip = malloc(16);
  if (ipParse(stringPtr(cidrOrIp), stringLen(cidrOrIp), ip)) return makeBool(ipNetContains(net, prefix, ip));
  const net2 = malloc(16);
  const prefix2 = ipParseCidr(stringPtr(cidrOrIp), stringLen(cidrOrIp), net2);
  if (prefix2 < 0) return UNDEFINED;
  const last = malloc(16);
  memory.copy(last, net2, 16);
  ipLast(last, prefix2);
  return makeBool(ipNetContains(net, prefix, net2) && ipNetContains(net, prefix, last));
}

/** net.cidr_intersects(a, b): the two networks share an address. */
export function builtin_net_cidr_intersects(a: Value, b: Value): Value {
  if (typeOf(a) != T_STRING || typeOf(b) != T_STRING) return UNDEFINED;
  const n1 = malloc(16);
  const p1 = ipParseCidr(stringPtr(a), stringLen(a), n1);
  const n2 = malloc(16);
  const p2 = ipParseCidr(stringPtr(b), stringLen(b), n2);
  if (p1 < 0 || p2 < 0) return UNDEFINED;
  return makeBool(ipNetContains(n1, p1, n2) || ipNetContains(n2, p2, n1));
}

/** net.cidr_is_valid(s): s parses as a CIDR (false, not undefined, for any other string). */
export function builtin_net_cidr_is_valid(s: Value): Value {
  if (typeOf(s) != T_STRING) return makeBool(false);
  const net = malloc(16);
  return makeBool(ipParseCidr(stringPtr(s), stringLen(s), net) >= 0);
}

/** net.cidr_overlap(cidr, ip): deprecated name of net.cidr_contains. */
export function builtin_net_cidr_overlap(cidr: Value, ip: Value): Value {
  return builtin_net_cidr_contains(cidr, ip);
}

const EXPAND_LIMIT: i32 = 65536; // addresses net.cidr_expand may produce (a /8 would exhaust memory)

/** net.cidr_expand(cidr) -> set of every address in the network as text; undefined when invalid or larger than 65536 addresses. */
export function builtin_net_cidr_expand(cidr: Value): Value {
  if (typeOf(cidr) != T_STRING) return UNDEFINED;
  const cur = malloc(16);
  const prefix = ipParseCidr(stringPtr(cidr), stringLen(cidr), cur);
  if (prefix < 0 || 128 - prefix > 16) return UNDEFINED;
  const count = 1 << (128 - prefix);
  if (count > EXPAND_LIMIT) return UNDEFINED;
  const out = makeSet(<u32>count);
  for (let i: i32 = 0; i < count; i++) {
    const text = malloc(40);
    setAppendUnsorted(out, makeString(text, ipFormat(cur, text)));
    ipIncrement(cur);
  }
  setSortElems(out);
  return out;
}
