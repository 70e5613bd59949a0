// Time builtins: time.parse_ns, parse_rfc3339_ns, parse_duration_ns, date, clock, weekday, add_date, diff, format.
//
// Timestamps are i64 nanoseconds since the Unix epoch. A time argument is either a number or
// [ns, zone] / [ns, zone, layout] (OPA's tzTime): zone "" / "UTC" / "Local" is UTC (Airlock
// evaluates in UTC); other IANA names come from calendar_core's table with current rules;
// unknown zones make the call undefined (OPA raises an error, which is undefined in non-strict
// mode). time.now_ns needs a clock, which a WebAssembly module has not: it is NOT implemented
// here (the host registers it as an SDK custom builtin).

import {
  Value, UNDEFINED, typeOf, T_NUMBER, T_STRING, T_ARRAY, NUM_INT, NUM_FLOAT, numberKind, numberIntValue,
  numberFloatValue, makeInt, makeArray, arrayAppend, arrayGet, arrayLen, stringPtr, stringLen,
} from '../value';
import { numberToF64 } from '../number';
import { malloc } from '../memory';
import { bufNew, bufLit, bufToString } from './byte_buffer';
import { operandIsInt, operandInt } from './operand_support';
import {
  calFloorDiv, calFloorMod, calDaysFromCivil, calFromSeconds, calZoneFind, calZoneOffset, calZoneAbbr,
  calLocalToUtc, calYear, calMonth, calDay, calHour, calMinute, calSecond, calWeekday,
} from './calendar_core';
import {
  layoutFormat, layoutParse, layoutYear, layoutMonth, layoutDay, layoutHour, layoutMinute, layoutSecond, layoutNsec,
  layoutHasOffset, layoutOffset,
} from './go_time_layout';

const NS: i64 = 1000000000;
const MIN_SEC: i64 = -9223372037; // floor(i64.MIN / 1e9)
const MAX_SEC: i64 = 9223372036;

// ---------------------------------------------------------------- parsing

/** time.parse_ns(layout, value): Go's time.Parse (layout may also be a name such as "RFC3339"); the instant in ns. */
export function builtin_time_parse_ns(layout: Value, value: Value): Value {
  if (typeOf(layout) != T_STRING || typeOf(value) != T_STRING) return UNDEFINED;
  let lp = stringPtr(layout);
  let ln = stringLen(layout);
  const named = namedLayout(lp, ln);
  if (named != null) {
    lp = ascii(named);
    ln = <u32>named.length;
  }
  return parseWith(lp, ln, value);
}

/** time.parse_rfc3339_ns(value): an RFC 3339 timestamp (fractional seconds allowed) in ns. */
export function builtin_time_parse_rfc3339_ns(value: Value): Value {
  if (typeOf(value) != T_STRING) return UNDEFINED;
  const l = '2006-01-02T15:04:05Z07:00';
  return parseWith(ascii(l), <u32>l.length, value);
}

/** time.parse_duration_ns(s): Go's time.ParseDuration ("1h6m13.3s", "-1.5µs"); ns. */
export function builtin_time_parse_duration_ns(s: Value): Value {
  if (typeOf(s) != T_STRING) return UNDEFINED;
  return parseDuration(stringPtr(s), stringLen(s));
}

// ---------------------------------------------------------------- broken-down time

/** time.date(x) -> [year, month, day]. */
export function builtin_time_date(x: Value): Value {
  if (!loadTime(x)) return UNDEFINED;
  localFields();
  return triple(calYear, <i64>calMonth, <i64>calDay);
}

/** time.clock(x) -> [hour, minute, second]. */
export function builtin_time_clock(x: Value): Value {
  if (!loadTime(x)) return UNDEFINED;
  localFields();
  return triple(<i64>calHour, <i64>calMinute, <i64>calSecond);
}

/** time.weekday(x) -> "Sunday" … "Saturday". */
export function builtin_time_weekday(x: Value): Value {
  if (!loadTime(x)) return UNDEFINED;
  localFields();
  const b = bufNew(10);
  switch (calWeekday) {
    case 0: bufLit(b, 'Sunday'); break;
    case 1: bufLit(b, 'Monday'); break;
    case 2: bufLit(b, 'Tuesday'); break;
    case 3: bufLit(b, 'Wednesday'); break;
    case 4: bufLit(b, 'Thursday'); break;
    case 5: bufLit(b, 'Friday'); break;
    default: bufLit(b, 'Saturday'); break;
  }
  return bufToString(b);
}

/** time.add_date(x, years, months, days): Go's AddDate (months and days overflow into the next unit); ns, undefined out of range. */
export function builtin_time_add_date(x: Value, years: Value, months: Value, days: Value): Value {
  if (!loadTime(x)) return UNDEFINED;
  if (!operandIsInt(years) || !operandIsInt(months) || !operandIsInt(days)) return UNDEFINED;
  const dy = operandInt(years), dm = operandInt(months), dd = operandInt(days);
  const LIMIT: i64 = 1000000000000000; // far beyond the representable range, small enough not to overflow below
  if (dy > LIMIT || dy < -LIMIT || dm > LIMIT || dm < -LIMIT || dd > LIMIT || dd < -LIMIT) return UNDEFINED;
  localFields();
  if (dy > 400000 || dy < -400000) return UNDEFINED; // ±400000 years leaves the i64 ns range
  const m0 = <i64>calMonth - 1 + dm;
  const y = calYear + dy + calFloorDiv(m0, 12);
  const m = calFloorMod(m0, 12) + 1;
  if (y > 400000 || y < -400000) return UNDEFINED;
  const dayCount = calDaysFromCivil(y, m, 1) + (<i64>calDay - 1) + dd;
  if (dayCount > 200000000 || dayCount < -200000000) return UNDEFINED;
  const local = dayCount * 86400 + <i64>calHour * 3600 + <i64>calMinute * 60 + <i64>calSecond;
  return nanos(calLocalToUtc(local), tNsec);
}

/** time.diff(a, b) -> [years, months, days, hours, minutes, seconds] between the two instants (b read in a's zone). */
export function builtin_time_diff(a: Value, b: Value): Value {
  if (!loadTime(b)) return UNDEFINED;
  const secB = tSec, nsB = tNsec;
  if (!loadTime(a)) return UNDEFINED; // leaves a's zone selected for both
  const secA = tSec, nsA = tNsec;
  let s1 = secA, s2 = secB;
  if (s1 > s2 || (s1 == s2 && nsA > nsB)) {
    s1 = secB;
    s2 = secA;
  }
  const off1 = calZoneOffset(s1);
  calFromSeconds(s1 + off1);
  const y1 = calYear, M1 = calMonth, d1 = calDay, h1 = calHour, m1 = calMinute, c1 = calSecond;
  const off2 = calZoneOffset(s2);
  calFromSeconds(s2 + off2);
  let year = calYear - y1;
  let month = <i64>(calMonth - M1);
  let day = <i64>(calDay - d1);
  let hour = <i64>(calHour - h1);
  let min = <i64>(calMinute - m1);
  let sec = <i64>(calSecond - c1);
  if (sec < 0) { sec += 60; min--; }
  if (min < 0) { min += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) {
    // Days in y1-M1: day 32 of that month normalizes into the next one.
    calFromSeconds(calDaysFromCivil(y1, <i64>M1, 32) * 86400);
    day += 32 - <i64>calDay;
    month--;
  }
  if (month < 0) { month += 12; year--; }
  const out = makeArray(6);
  arrayAppend(out, makeInt(year));
  arrayAppend(out, makeInt(month));
  arrayAppend(out, makeInt(day));
  arrayAppend(out, makeInt(hour));
  arrayAppend(out, makeInt(min));
  arrayAppend(out, makeInt(sec));
  return out;
}

/** time.format(x): x formatted with its layout (default RFC3339Nano; names such as "RFC1123" allowed) in its zone. */
export function builtin_time_format(x: Value): Value {
  if (!loadTime(x)) return UNDEFINED;
  let lp = tLayoutPtr;
  let ln = tLayoutLen;
  if (ln == 0) {
    const l = '2006-01-02T15:04:05.999999999Z07:00';
    lp = ascii(l);
    ln = <u32>l.length;
  } else {
    const named = namedLayout(lp, ln);
    if (named != null) {
      lp = ascii(named);
      ln = <u32>named.length;
    }
  }
  const off = calZoneOffset(tSec);
  const abbr = calZoneAbbr;
  calFromSeconds(tSec + off);
  const b = bufNew(ln + 16);
  layoutFormat(b, lp, ln, <i32>tNsec, off, abbr);
  return bufToString(b);
}

// ---------------------------------------------------------------- helpers

// The time argument read by loadTime: seconds, nanoseconds and layout; the zone is selected in calendar_core.
let tSec: i64 = 0;
let tNsec: i64 = 0;
let tLayoutPtr: usize = 0;
let tLayoutLen: u32 = 0;

/** Reads a number or [ns, zone, layout] argument (OPA's tzTime); false when malformed or the zone is unknown. */
function loadTime(x: Value): bool {
  tLayoutLen = 0;
  let nv = x;
  const t = typeOf(x);
  if (t == T_ARRAY) {
    const n = arrayLen(x);
    if (n == 0) return false;
    nv = arrayGet(x, 0);
    if (typeOf(nv) != T_NUMBER) return false;
    if (n > 1) {
      const z = arrayGet(x, 1);
      if (typeOf(z) != T_STRING) return false;
      if (!calZoneFind(stringPtr(z), stringLen(z))) return false;
    } else calZoneFind(0, 0);
    if (n > 2) {
      const l = arrayGet(x, 2);
      if (typeOf(l) != T_STRING) return false;
      tLayoutPtr = stringPtr(l);
      tLayoutLen = stringLen(l);
    }
  } else if (t == T_NUMBER) calZoneFind(0, 0);
  else return false;
  let ns: i64;
  const k = numberKind(nv);
  if (k == NUM_INT) ns = numberIntValue(nv);
  else {
    const f = k == NUM_FLOAT ? numberFloatValue(nv) : numberToF64(nv);
    if (f != Math.floor(f) || !(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return false;
    ns = <i64>f;
  }
  tSec = calFloorDiv(ns, NS);
  tNsec = calFloorMod(ns, NS);
  return true;
}

/** Sets the cal* fields to the loaded time's wall clock in its zone. */
function localFields(): void {
  const off = calZoneOffset(tSec);
  calFromSeconds(tSec + off);
}

function triple(a: i64, b: i64, c: i64): Value {
  const out = makeArray(3);
  arrayAppend(out, makeInt(a));
  arrayAppend(out, makeInt(b));
  arrayAppend(out, makeInt(c));
  return out;
}

/** ns of an instant given in seconds + nanoseconds (0 <= nsec < 1e9); undefined outside OPA's range (the i64 nanoseconds). */
function nanos(sec: i64, nsec: i64): Value {
  if (sec < MIN_SEC || sec > MAX_SEC) return UNDEFINED;
  if (sec >= 0) {
    const base = sec * NS;
    const r = base + nsec;
    return r < base ? UNDEFINED : makeInt(r);
  }
  const base = (sec + 1) * NS; // fits even for MIN_SEC
  const r = base + (nsec - NS);
  return r > base ? UNDEFINED : makeInt(r);
}

function parseWith(lp: usize, ln: u32, value: Value): Value {
  if (!layoutParse(lp, ln, stringPtr(value), stringLen(value))) return UNDEFINED;
  const days = calDaysFromCivil(layoutYear, <i64>layoutMonth, <i64>layoutDay);
  let sec = days * 86400 + <i64>layoutHour * 3600 + <i64>layoutMinute * 60 + <i64>layoutSecond;
  if (layoutHasOffset) sec -= <i64>layoutOffset;
  return nanos(sec, <i64>layoutNsec);
}

/** Go's named layouts that OPA accepts in place of a layout string. */
function namedLayout(p: usize, n: u32): string | null {
  if (is(p, n, 'ANSIC')) return 'Mon Jan _2 15:04:05 2006';
  if (is(p, n, 'UnixDate')) return 'Mon Jan _2 15:04:05 MST 2006';
  if (is(p, n, 'RubyDate')) return 'Mon Jan 02 15:04:05 -0700 2006';
  if (is(p, n, 'RFC822')) return '02 Jan 06 15:04 MST';
  if (is(p, n, 'RFC822Z')) return '02 Jan 06 15:04 -0700';
  if (is(p, n, 'RFC850')) return 'Monday, 02-Jan-06 15:04:05 MST';
  if (is(p, n, 'RFC1123')) return 'Mon, 02 Jan 2006 15:04:05 MST';
  if (is(p, n, 'RFC1123Z')) return 'Mon, 02 Jan 2006 15:04:05 -0700';
  if (is(p, n, 'RFC3339')) return '2006-01-02T15:04:05Z07:00';
  if (is(p, n, 'RFC3339Nano')) return '2006-01-02T15:04:05.999999999Z07:00';
  return null;
}

function is(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

function ascii(s: string): usize {
  const n = s.length;
  const p = malloc(n);
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  return p;
}

/** Go's time.ParseDuration: [-+]?(number[.fraction]unit)+ or "0"; units ns us µs μs ms s m h. */
function parseDuration(p: usize, n: u32): Value {
  let i: u32 = 0;
  let neg = false;
  if (i < n && (load<u8>(p) == 0x2d || load<u8>(p) == 0x2b)) {
    neg = load<u8>(p) == 0x2d;
    i++;
  }
  if (n - i == 1 && load<u8>(p + i) == 0x30) return makeInt(0);
  if (i == n) return UNDEFINED;
  const LIMIT: u64 = (<u64>1) << 63;
  let d: u64 = 0;
  while (i < n) {
    const c = load<u8>(p + i);
    if (!(c == 0x2e || (c >= 0x30 && c <= 0x39))) return UNDEFINED;
    // integer part
    let v: u64 = 0;
    const s0 = i;
    while (i < n && isDigit(load<u8>(p + i))) {
      if (v > (LIMIT - 1) / 10) return UNDEFINED;
      v = v * 10 + <u64>(load<u8>(p + i) - 0x30);
      if (v > LIMIT) return UNDEFINED;
      i++;
    }
    const pre = i != s0;
    // fraction
    let f: u64 = 0;
    let scale: f64 = 1;
    let post = false;
    if (i < n && load<u8>(p + i) == 0x2e) {
      i++;
      const s1 = i;
      let overflow = false;
      while (i < n && isDigit(load<u8>(p + i))) {
        if (!overflow) {
          if (f > (LIMIT - 1) / 10) overflow = true;
          else {
            const y = f * 10 + <u64>(load<u8>(p + i) - 0x30);
            if (y > LIMIT) overflow = true;
            else {
              f = y;
              scale *= 10;
            }
          }
        }
        i++;
      }
      post = i != s1;
    }
    if (!pre && !post) return UNDEFINED;
    // unit
    const u0 = i;
    while (i < n) {
      const ch = load<u8>(p + i);
      if (ch == 0x2e || isDigit(ch)) break;
      i++;
    }
    const unit = unitNanos(p + u0, i - u0);
    if (unit == 0) return UNDEFINED;
    if (v > LIMIT / unit) return UNDEFINED;
    v *= unit;
    if (f > 0) {
      v += <u64>(<f64>f * (<f64>unit / scale));
      if (v > LIMIT) return UNDEFINED;
    }
    d += v;
    if (d > LIMIT) return UNDEFINED;
  }
  if (neg) return makeInt(<i64>(0 - d));
  if (d > LIMIT - 1) return UNDEFINED;
  return makeInt(<i64>d);
}

function unitNanos(p: usize, n: u32): u64 {
  if (is(p, n, 'ns')) return 1;
  if (is(p, n, 'us')) return 1000;
  if (n == 3 && load<u8>(p + 2) == 0x73 && ((load<u8>(p) == 0xc2 && load<u8>(p + 1) == 0xb5) || (load<u8>(p) == 0xce && load<u8>(p + 1) == 0xbc))) return 1000; // µs, μs
  if (is(p, n, 'ms')) return 1000000;
  if (is(p, n, 's')) return 1000000000;
  if (is(p, n, 'm')) return 60000000000;
  if (is(p, n, 'h')) return 3600000000000;
  return 0;
}

@inline function isDigit(c: u8): bool {
  return c >= 0x30 && c <= 0x39;
}
