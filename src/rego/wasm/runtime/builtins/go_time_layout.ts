// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing with time.Format/time.Parse rules.
//
// Formatting reads the cal* fields of calendar_core (set them with calFromSeconds on the
// LOCAL seconds) plus nanoseconds, zone offset and abbreviation. Parsing fills the `layout*`
// result globals; the wall clock is then resolved to an instant by the caller.

import { Buf, bufByte, bufLit, bufBytes } from './byte_buffer';
import { calYear, calMonth, calDay, calHour, calMinute, calSecond, calWeekday, calYearDay, calIsLeap, calDaysIn } from './calendar_core';

const STD_NONE: i32 = 0;
const STD_LONG_MONTH: i32 = 1;
const STD_MONTH: i32 = 2;
const STD_NUM_MONTH: i32 = 3;
const STD_ZERO_MONTH: i32 = 4;
const STD_LONG_WEEKDAY: i32 = 5;
const STD_WEEKDAY: i32 = 6;
const STD_DAY: i32 = 7;
const STD_UNDER_DAY: i32 = 8;
const STD_ZERO_DAY: i32 = 9;
const STD_UNDER_YEARDAY: i32 = 10;
const STD_ZERO_YEARDAY: i32 = 11;
const STD_HOUR: i32 = 12;
const STD_HOUR12: i32 = 13;
const STD_ZERO_HOUR12: i32 = 14;
const STD_MINUTE: i32 = 15;
const STD_ZERO_MINUTE: i32 = 16;
const STD_SECOND: i32 = 17;
const STD_ZERO_SECOND: i32 = 18;
const STD_LONG_YEAR: i32 = 19;
const STD_YEAR: i32 = 20;
const STD_PM_UPPER: i32 = 21;
const STD_PM_LOWER: i32 = 22;
const STD_TZ: i32 = 23;
const STD_ISO_TZ: i32 = 24; // Z0700
const STD_ISO_SECONDS_TZ: i32 = 25; // Z070000
const STD_ISO_SHORT_TZ: i32 = 26; // Z07
const STD_ISO_COLON_TZ: i32 = 27; // Z07:00
const STD_ISO_COLON_SECONDS_TZ: i32 = 28; // Z07:00:00
const STD_NUM_TZ: i32 = 29; // -0700
const STD_NUM_SECONDS_TZ: i32 = 30; // -070000
const STD_NUM_SHORT_TZ: i32 = 31; // -07
const STD_NUM_COLON_TZ: i32 = 32; // -07:00
const STD_NUM_COLON_SECONDS_TZ: i32 = 33; // -07:00:00
const STD_FRAC0: i32 = 34; // .000 (exact digits)
const STD_FRAC9: i32 = 35; // .999 (trailing zeros dropped)

const LONG_MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
const LONG_DAYS = 'Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday';

// nextStd results: the chunk starts at stdStart, spans stdLen bytes; fractions have stdDigits digits and separator stdSep.
let stdStart: u32 = 0;
let stdLen: u32 = 0;
let stdDigits: u32 = 0;
let stdSep: u8 = 0x2e;

/** Finds the next layout element at or after byte `from`; returns its STD_* code (STD_NONE at the end). */
function nextStd(p: usize, n: u32, from: u32): i32 {
  for (let i = from; i < n; i++) {
    const c = load<u8>(p + i);
    const rest = n - i;
    stdStart = i;
    switch (c) {
      case 0x4a: // J
        if (at(p, n, i, 'Jan')) {
          if (at(p, n, i, 'January')) return hit(7, STD_LONG_MONTH);
          if (!lowerAt(p, n, i + 3)) return hit(3, STD_MONTH);
        }
        break;
      case 0x4d: // M
        if (at(p, n, i, 'Mon')) {
          if (at(p, n, i, 'Monday')) return hit(6, STD_LONG_WEEKDAY);
          if (!lowerAt(p, n, i + 3)) return hit(3, STD_WEEKDAY);
        }
        if (at(p, n, i, 'MST')) return hit(3, STD_TZ);
        break;
      case 0x30: // 0
        if (rest >= 2) {
          const d = load<u8>(p + i + 1);
          if (d == 0x31) return hit(2, STD_ZERO_MONTH);
          if (d == 0x32) return hit(2, STD_ZERO_DAY);
          if (d == 0x33) return hit(2, STD_ZERO_HOUR12);
          if (d == 0x34) return hit(2, STD_ZERO_MINUTE);
          if (d == 0x35) return hit(2, STD_ZERO_SECOND);
          if (d == 0x36) return hit(2, STD_YEAR);
        }
        if (rest >= 3 && load<u8>(p + i + 1) == 0x30 && load<u8>(p + i + 2) == 0x32) return hit(3, STD_ZERO_YEARDAY);
        break;
      case 0x31: // 1
        if (rest >= 2 && load<u8>(p + i + 1) == 0x35) return hit(2, STD_HOUR);
        return hit(1, STD_NUM_MONTH);
      case 0x32: // 2
        if (at(p, n, i, '2006')) return hit(4, STD_LONG_YEAR);
        return hit(1, STD_DAY);
      case 0x5f: // _
        if (rest >= 2 && load<u8>(p + i + 1) == 0x32) {
          if (at(p, n, i + 1, '2006')) {
            stdStart = i + 1; // "_2006" is a literal '_' then the year
            stdLen = 4;
            return STD_LONG_YEAR;
          }
          return hit(2, STD_UNDER_DAY);
        }
        if (rest >= 3 && load<u8>(p + i + 1) == 0x5f && load<u8>(p + i + 2) == 0x32) return hit(3, STD_UNDER_YEARDAY);
        break;
      case 0x33: return hit(1, STD_HOUR12);
      case 0x34: return hit(1, STD_MINUTE);
      case 0x35: return hit(1, STD_SECOND);
      case 0x50: // P
        if (rest >= 2 && load<u8>(p + i + 1) == 0x4d) return hit(2, STD_PM_UPPER);
        break;
      case 0x70: // p
        if (rest >= 2 && load<u8>(p + i + 1) == 0x6d) return hit(2, STD_PM_LOWER);
        break;
      case 0x2d: // -
        if (at(p, n, i, '-070000')) return hit(7, STD_NUM_SECONDS_TZ);
        if (at(p, n, i, '-07:00:00')) return hit(9, STD_NUM_COLON_SECONDS_TZ);
        if (at(p, n, i, '-0700')) return hit(5, STD_NUM_TZ);
        if (at(p, n, i, '-07:00')) return hit(6, STD_NUM_COLON_TZ);
        if (at(p, n, i, '-07')) return hit(3, STD_NUM_SHORT_TZ);
        break;
      case 0x5a: // Z
        if (at(p, n, i, 'Z070000')) return hit(7, STD_ISO_SECONDS_TZ);
        if (at(p, n, i, 'Z07:00:00')) return hit(9, STD_ISO_COLON_SECONDS_TZ);
        if (at(p, n, i, 'Z0700')) return hit(5, STD_ISO_TZ);
        if (at(p, n, i, 'Z07:00')) return hit(6, STD_ISO_COLON_TZ);
        if (at(p, n, i, 'Z07')) return hit(3, STD_ISO_SHORT_TZ);
        break;
      case 0x2e: case 0x2c: // . or , then a run of 0s or 9s not followed by a digit
        if (i + 1 < n) {
          const ch = load<u8>(p + i + 1);
          if (ch == 0x30 || ch == 0x39) {
            let j = i + 1;
            while (j < n && load<u8>(p + j) == ch) j++;
            if (!(j < n && isDigit(load<u8>(p + j)))) {
              stdDigits = j - (i + 1);
              stdSep = c;
              return hit(j - i, ch == 0x30 ? STD_FRAC0 : STD_FRAC9);
            }
          }
        }
        break;
    }
  }
  stdStart = n;
  stdLen = 0;
  return STD_NONE;
}

/**
 * Appends the time formatted with the layout at [lp, lp+ln). Uses the cal* fields (local wall
 * time), `nsec`, the zone `offset` in seconds east of UTC and its abbreviation.
 */
export function layoutFormat(b: Buf, lp: usize, ln: u32, nsec: i32, offset: i32, abbr: string): void {
  // Snapshot: the cal* globals may be reused by callers between calls.
  const year = calYear, month = calMonth, day = calDay, hour = calHour, minute = calMinute, second = calSecond;
  const wday = calWeekday, yday = calYearDay;
  let i: u32 = 0;
  while (i < ln) {
    const std = nextStd(lp, ln, i);
    bufBytes(b, lp + i, stdStart - i);
    if (std == STD_NONE) break;
    i = stdStart + stdLen;
    switch (std) {
      case STD_YEAR: { let y = year; if (y < 0) y = -y; padInt(b, y % 100, 2); break; }
      case STD_LONG_YEAR: padInt(b, year, 4); break;
      case STD_MONTH: nameFrom(b, LONG_MONTHS, month - 1, true); break;
      case STD_LONG_MONTH: nameFrom(b, LONG_MONTHS, month - 1, false); break;
      case STD_NUM_MONTH: padInt(b, month, 0); break;
      case STD_ZERO_MONTH: padInt(b, month, 2); break;
      case STD_WEEKDAY: nameFrom(b, LONG_DAYS, wday, true); break;
      case STD_LONG_WEEKDAY: nameFrom(b, LONG_DAYS, wday, false); break;
      case STD_DAY: padInt(b, day, 0); break;
      case STD_UNDER_DAY: if (day < 10) bufByte(b, 0x20); padInt(b, day, 0); break;
      case STD_ZERO_DAY: padInt(b, day, 2); break;
      case STD_UNDER_YEARDAY:
        if (yday < 100) { bufByte(b, 0x20); if (yday < 10) bufByte(b, 0x20); }
        padInt(b, yday, 0);
        break;
      case STD_ZERO_YEARDAY: padInt(b, yday, 3); break;
      case STD_HOUR: padInt(b, hour, 2); break;
      case STD_HOUR12: { let h = hour % 12; if (h == 0) h = 12; padInt(b, h, 0); break; }
      case STD_ZERO_HOUR12: { let h = hour % 12; if (h == 0) h = 12; padInt(b, h, 2); break; }
      case STD_MINUTE: padInt(b, minute, 0); break;
      case STD_ZERO_MINUTE: padInt(b, minute, 2); break;
      case STD_SECOND: padInt(b, second, 0); break;
      case STD_ZERO_SECOND: padInt(b, second, 2); break;
      case STD_PM_UPPER: bufLit(b, hour >= 12 ? 'PM' : 'AM'); break;
      case STD_PM_LOWER: bufLit(b, hour >= 12 ? 'pm' : 'am'); break;
      case STD_TZ:
        if (abbr.length > 0) bufLit(b, abbr);
        else {
          let z = offset / 60;
          if (z < 0) { bufByte(b, 0x2d); z = -z; } else bufByte(b, 0x2b);
          padInt(b, z / 60, 2);
          padInt(b, z % 60, 2);
        }
        break;
      case STD_FRAC0: case STD_FRAC9: formatNanos(b, nsec, std == STD_FRAC9, stdDigits, stdSep); break;
      default: formatOffset(b, std, offset); break;
    }
  }
}

function formatOffset(b: Buf, std: i32, offset: i32): void {
  const iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECONDS_TZ;
  if (iso && offset == 0) {
    bufByte(b, 0x5a);
    return;
  }
  let zone = offset / 60;
  let abs = offset;
  if (zone < 0) {
    bufByte(b, 0x2d);
    zone = -zone;
    abs = -abs;
  } else bufByte(b, 0x2b);
  padInt(b, zone / 60, 2);
  const colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ || std == STD_ISO_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ;
  if (colon) bufByte(b, 0x3a);
  if (std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ) padInt(b, zone % 60, 2);
  if (std == STD_ISO_SECONDS_TZ || std == STD_NUM_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ || std == STD_ISO_COLON_SECONDS_TZ) {
    if (colon) bufByte(b, 0x3a);
    padInt(b, abs % 60, 2);
  }
}

function formatNanos(b: Buf, nsec: i32, trim: bool, digits: u32, sep: u8): void {
  let n: u32 = digits > 9 ? 9 : digits;
  // The nine digits of nsec, truncated to n.
  let tmp: u64 = <u64>nsec;
  const buf = memory.data(9);
  for (let k: i32 = 8; k >= 0; k--) {
    store<u8>(buf + <usize>k, <u8>(0x30 + <u32>(tmp % 10)));
    tmp /= 10;
  }
  if (trim) {
    while (n > 0 && load<u8>(buf + n - 1) == 0x30) n--;
    if (n == 0) return;
  }
  bufByte(b, sep);
  bufBytes(b, buf, n);
}

// ---------------------------------------------------------------- parsing

export let layoutYear: i64 = 0;
export let layoutMonth: i32 = 0;
export let layoutDay: i32 = 0;
export let layoutHour: i32 = 0;
export let layoutMinute: i32 = 0;
export let layoutSecond: i32 = 0;
export let layoutNsec: i32 = 0;
/** Zone offset in seconds east of UTC found in the text (Z, -07:00…); valid when layoutHasOffset. */
export let layoutOffset: i32 = 0;
export let layoutHasOffset: bool = false;

let vp: usize = 0; // value cursor
let vn: u32 = 0; // bytes left
let bad = false;

/**
 * Parses value [p, p+n) with the layout as Go's time.Parse does; false on any mismatch or out-of-range field.
 * On success the layout* globals hold the wall clock (and the offset when the text had one).
 */
export function layoutParse(lp: usize, ln: u32, p: usize, n: u32): bool {
  vp = p;
  vn = n;
  bad = false;
  layoutYear = 0; // Go's year when the layout has none
  let month: i32 = -1, day: i32 = -1, yday: i32 = -1;
  let hour: i32 = 0, minute: i32 = 0, second: i32 = 0, nsec: i32 = 0;
  let pmSet = false, amSet = false;
  layoutHasOffset = false;
  layoutOffset = 0;
  let i: u32 = 0;
  while (true) {
    const std = nextStd(lp, ln, i);
    if (!skipLiteral(lp + i, stdStart - i)) return false;
    if (std == STD_NONE) {
      if (vn != 0) return false;
      break;
    }
    const after = stdStart + stdLen;
    const fracDigits = stdDigits;
    i = after;
    switch (std) {
      case STD_YEAR: {
        if (vn < 2) return false;
        const y = digitsValue(vp, 2);
        if (y < 0) return false;
        take(2);
        layoutYear = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case STD_LONG_YEAR: {
        if (vn < 4 || !isDigit(load<u8>(vp))) return false;
        const y = digitsValue(vp, 4);
        if (y < 0) return false;
        take(4);
        layoutYear = y;
        break;
      }
      case STD_MONTH: case STD_LONG_MONTH: {
        const m = lookupName(LONG_MONTHS, std == STD_MONTH);
        if (m < 0) return false;
        month = m + 1;
        break;
      }
      case STD_NUM_MONTH: case STD_ZERO_MONTH:
        month = getnum(std == STD_ZERO_MONTH);
        if (bad || month <= 0 || month > 12) return false;
        break;
      case STD_WEEKDAY: case STD_LONG_WEEKDAY:
        if (lookupName(LONG_DAYS, std == STD_WEEKDAY) < 0) return false;
        break;
      case STD_DAY: case STD_UNDER_DAY: case STD_ZERO_DAY:
        if (std == STD_UNDER_DAY && vn > 0 && load<u8>(vp) == 0x20) take(1);
        day = getnum(std == STD_ZERO_DAY);
        if (bad) return false;
        break;
      case STD_UNDER_YEARDAY: case STD_ZERO_YEARDAY:
        for (let k = 0; k < 2; k++) if (std == STD_UNDER_YEARDAY && vn > 0 && load<u8>(vp) == 0x20) take(1);
        yday = getnum3(std == STD_ZERO_YEARDAY);
        if (bad) return false;
        break;
      case STD_HOUR:
        hour = getnum(false);
        if (bad || hour < 0 || hour >= 24) return false;
        break;
      case STD_HOUR12: case STD_ZERO_HOUR12:
        hour = getnum(std == STD_ZERO_HOUR12);
        if (bad || hour < 0 || hour > 12) return false;
        break;
      case STD_MINUTE: case STD_ZERO_MINUTE:
        minute = getnum(std == STD_ZERO_MINUTE);
        if (bad || minute < 0 || minute >= 60) return false;
        break;
      case STD_SECOND: case STD_ZERO_SECOND: {
        second = getnum(std == STD_ZERO_SECOND);
        if (bad || second < 0 || second >= 60) return false;
        // A fraction in the text but not in the layout is still read.
        if (vn >= 2 && isSep(load<u8>(vp)) && isDigit(load<u8>(vp + 1))) {
          const save = stdStart, saveLen = stdLen;
          const nextCode = nextStd(lp, ln, i);
          stdStart = save; stdLen = saveLen;
          if (nextCode == STD_FRAC0 || nextCode == STD_FRAC9) break;
          let k: u32 = 2;
          while (k < vn && isDigit(load<u8>(vp + k))) k++;
          nsec = parseNanos(k);
          if (nsec < 0) return false;
          take(k);
        }
        break;
      }
      case STD_PM_UPPER: case STD_PM_LOWER: {
        if (vn < 2) return false;
        const a = load<u8>(vp), m = load<u8>(vp + 1);
        const upper = std == STD_PM_UPPER;
        if (m != (upper ? 0x4d : 0x6d)) return false;
        if (a == (upper ? 0x50 : 0x70)) pmSet = true;
        else if (a == (upper ? 0x41 : 0x61)) amSet = true;
        else return false;
        take(2);
        break;
      }
      case STD_TZ: {
        if (vn >= 3 && load<u8>(vp) == 0x55 && load<u8>(vp + 1) == 0x54 && load<u8>(vp + 2) == 0x43) {
          take(3);
          layoutHasOffset = true;
          layoutOffset = 0;
          break;
        }
        const zl = timeZoneLength();
        if (zl <= 0) return false;
        take(<u32>zl); // an abbreviation Go cannot resolve: the wall clock is read as UTC
        break;
      }
      case STD_FRAC0: {
        const nd: u32 = 1 + fracDigits;
        if (vn < nd) return false;
        nsec = parseNanos(nd);
        if (nsec < 0) return false;
        take(nd);
        break;
      }
      case STD_FRAC9: {
        if (vn < 2 || !isSep(load<u8>(vp)) || !isDigit(load<u8>(vp + 1))) break;
        let k: u32 = 0;
        while (k + 1 < vn && isDigit(load<u8>(vp + k + 1))) k++;
        nsec = parseNanos(1 + k);
        if (nsec < 0) return false;
        take(1 + k);
        break;
      }
      default:
        if (!parseOffset(std)) return false;
        break;
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour == 12) hour = 0;
  const year = layoutYear;
  if (yday >= 0) {
    let d: i32 = 0, m: i32 = 0;
    if (calIsLeap(year)) {
      if (yday == 31 + 29) { m = 2; d = 29; }
      else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) return false;
    if (m == 0) {
      m = 1;
      let before: i32 = 0;
      while (before + calDaysIn(m, 2001) < yday) { before += calDaysIn(m, 2001); m++; }
      d = yday - before;
    }
    if (month >= 0 && month != m) return false;
    if (day >= 0 && day != d) return false;
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > calDaysIn(month, year)) return false;
  layoutMonth = month;
  layoutDay = day;
  layoutHour = hour;
  layoutMinute = minute;
  layoutSecond = second;
  layoutNsec = nsec;
  return true;
}

function parseOffset(std: i32): bool {
  const iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECONDS_TZ;
  if (iso && vn >= 1 && load<u8>(vp) == 0x5a) {
    take(1);
    layoutHasOffset = true;
    layoutOffset = 0;
    return true;
  }
  let hh: i32, mm: i32 = 0, ss: i32 = 0, used: u32;
  const sign = vn > 0 ? load<u8>(vp) : 0;
  if (std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ) {
    if (vn < 6 || load<u8>(vp + 3) != 0x3a) return false;
    hh = fixed2(vp + 1); mm = fixed2(vp + 4); used = 6;
  } else if (std == STD_NUM_SHORT_TZ || std == STD_ISO_SHORT_TZ) {
    if (vn < 3) return false;
    hh = fixed2(vp + 1); used = 3;
  } else if (std == STD_ISO_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ) {
    if (vn < 9 || load<u8>(vp + 3) != 0x3a || load<u8>(vp + 6) != 0x3a) return false;
    hh = fixed2(vp + 1); mm = fixed2(vp + 4); ss = fixed2(vp + 7); used = 9;
  } else if (std == STD_ISO_SECONDS_TZ || std == STD_NUM_SECONDS_TZ) {
    if (vn < 7) return false;
    hh = fixed2(vp + 1); mm = fixed2(vp + 3); ss = fixed2(vp + 5); used = 7;
  } else {
    if (vn < 5) return false;
    hh = fixed2(vp + 1); mm = fixed2(vp + 3); used = 5;
  }
  if (hh < 0 || mm < 0 || ss < 0 || hh > 24 || mm > 60 || ss > 60) return false;
  let off = (hh * 60 + mm) * 60 + ss;
  if (sign == 0x2d) off = -off;
  else if (sign != 0x2b) return false;
  take(used);
  layoutHasOffset = true;
  layoutOffset = off;
  return true;
}

/** Length of a time zone abbreviation at the cursor as Go's parseTimeZone accepts it, or 0. */
function timeZoneLength(): i32 {
  if (vn < 3) return 0;
  if (vn >= 4 && (startsWith('ChST') || startsWith('MeST'))) return 4;
  if (startsWith('GMT')) {
    let k: u32 = 3;
    if (k < vn && (load<u8>(vp + k) == 0x2b || load<u8>(vp + k) == 0x2d)) {
      k++;
      const s = k;
      while (k < vn && isDigit(load<u8>(vp + k))) k++;
      if (k == s) return 3;
    }
    return <i32>k;
  }
  const c0 = load<u8>(vp);
  if (c0 == 0x2b || c0 == 0x2d) {
    let k: u32 = 1;
    while (k < vn && isDigit(load<u8>(vp + k))) k++;
    return k > 1 ? <i32>k : 0;
  }
  let upper: u32 = 0;
  while (upper < vn && upper < 6 && load<u8>(vp + upper) >= 0x41 && load<u8>(vp + upper) <= 0x5a) upper++;
  if (upper == 5) return load<u8>(vp + 4) == 0x54 ? 5 : 0;
  if (upper == 4) return (load<u8>(vp + 3) == 0x54 || startsWith('WITA')) ? 4 : 0;
  if (upper == 3) return 3;
  return 0;
}

/** Go's skip(): literal layout text must match, where a space in the layout matches one or more spaces. */
function skipLiteral(p: usize, n: u32): bool {
  let i: u32 = 0;
  while (i < n) {
    const c = load<u8>(p + i);
    if (c == 0x20) {
      if (vn > 0 && load<u8>(vp) != 0x20) return false;
      while (i < n && load<u8>(p + i) == 0x20) i++;
      while (vn > 0 && load<u8>(vp) == 0x20) take(1);
      continue;
    }
    if (vn == 0 || load<u8>(vp) != c) return false;
    take(1);
    i++;
  }
  return true;
}

function getnum(fixed: bool): i32 {
  if (vn == 0 || !isDigit(load<u8>(vp))) { bad = true; return 0; }
  if (vn < 2 || !isDigit(load<u8>(vp + 1))) {
    if (fixed) { bad = true; return 0; }
    const x = <i32>load<u8>(vp) - 0x30;
    take(1);
    return x;
  }
  const x = (<i32>load<u8>(vp) - 0x30) * 10 + (<i32>load<u8>(vp + 1) - 0x30);
  take(2);
  return x;
}

function getnum3(fixed: bool): i32 {
  let x: i32 = 0;
  let k: u32 = 0;
  while (k < 3 && k < vn && isDigit(load<u8>(vp + k))) {
    x = x * 10 + (<i32>load<u8>(vp + k) - 0x30);
    k++;
  }
  if (k == 0 || (fixed && k != 3)) { bad = true; return 0; }
  take(k);
  return x;
}

/** Nanoseconds from the separator + digits at the cursor (nbytes including the separator), -1 when invalid. */
function parseNanos(nbytes: u32): i32 {
  if (!isSep(load<u8>(vp))) return -1;
  const n: u32 = nbytes > 10 ? 10 : nbytes;
  let ns: i32 = 0;
  for (let k: u32 = 1; k < n; k++) {
    const c = load<u8>(vp + k);
    if (!isDigit(c)) return -1;
    ns = ns * 10 + (<i32>c - 0x30);
  }
  for (let k = n; k < 10; k++) ns *= 10;
  return ns;
}

function lookupName(list: string, short: bool): i32 {
  let idx: i32 = 0;
  let start: i32 = 0;
  const len = list.length;
  for (let k: i32 = 0; k <= len; k++) {
    if (k == len || list.charCodeAt(k) == 0x7c) {
      const wl = short ? 3 : k - start;
      if (<u32>wl <= vn) {
        let same = true;
        for (let j: i32 = 0; j < wl && same; j++) same = lowerAscii(<u32>load<u8>(vp + <usize>j)) == lowerAscii(<u32>list.charCodeAt(start + j));
        if (same) {
          take(<u32>wl);
          return idx;
        }
      }
      idx++;
      start = k + 1;
    }
  }
  return -1;
}

// ---------------------------------------------------------------- small helpers

@inline function hit(len: u32, code: i32): i32 {
  stdLen = len;
  return code;
}

@inline function take(k: u32): void {
  vp += k;
  vn -= k;
}

function at(p: usize, n: u32, i: u32, s: string): bool {
  const m = <u32>s.length;
  if (i + m > n) return false;
  for (let k: u32 = 0; k < m; k++) if (<u32>load<u8>(p + i + k) != <u32>s.charCodeAt(k)) return false;
  return true;
}

function startsWith(s: string): bool {
  return at(vp, vn, 0, s);
}

function lowerAt(p: usize, n: u32, i: u32): bool {
  if (i >= n) return false;
  const c = load<u8>(p + i);
  return c >= 0x61 && c <= 0x7a;
}

@inline function isDigit(c: u8): bool {
  return c >= 0x30 && c <= 0x39;
}

@inline function isSep(c: u8): bool {
  return c == 0x2e || c == 0x2c;
}

@inline function lowerAscii(c: u32): u32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function fixed2(p: usize): i32 {
  const a = load<u8>(p), b = load<u8>(p + 1);
  if (!isDigit(a) || !isDigit(b)) return -1;
  return (<i32>a - 0x30) * 10 + (<i32>b - 0x30);
}

function digitsValue(p: usize, n: u32): i32 {
  let x: i32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const c = load<u8>(p + k);
    if (!isDigit(c)) return -1;
    x = x * 10 + (<i32>c - 0x30);
  }
  return x;
}

/** Appends x in decimal, zero-padded to `width` digits (a '-' comes first for negatives, as Go's appendInt). */
function padInt(b: Buf, x: i64, width: i32): void {
  let u: u64;
  if (x < 0) {
    bufByte(b, 0x2d);
    u = <u64>(-x);
  } else u = <u64>x;
  const tmp = memory.data(24);
  let k: i32 = 24;
  do {
    k--;
    store<u8>(tmp + <usize>k, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  } while (u != 0);
  for (let w = 24 - k; w < width; w++) bufByte(b, 0x30);
  bufBytes(b, tmp + <usize>k, <u32>(24 - k));
}

/** Appends the i-th '|'-separated name (its first 3 letters when short). */
function nameFrom(b: Buf, list: string, index: i32, short: bool): void {
  let idx: i32 = 0;
  let start: i32 = 0;
  const len = list.length;
  for (let k: i32 = 0; k <= len; k++) {
    if (k == len || list.charCodeAt(k) == 0x7c) {
      if (idx == index) {
        const end = short ? start + 3 : k;
        for (let j = start; j < end; j++) bufByte(b, <u32>list.charCodeAt(j));
        return;
      }
      idx++;
      start = k + 1;
    }
  }
}
