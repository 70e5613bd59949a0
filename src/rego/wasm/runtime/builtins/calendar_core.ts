// Proleptic Gregorian calendar arithmetic on i64 seconds and a small built-in time zone table (no tzdata in the module).
//
// Broken-down times are written into the exported `cal*` globals (no managed objects).
// Zones: UTC and a table of common IANA names with their CURRENT rules (fixed offsets, EU,
// US and southern-Australia daylight saving) applied to every year; historical rule changes
// are not modelled. Unknown names are reported as unknown (the builtins make that undefined).

import { malloc } from '../memory';

export let calYear: i64 = 0;
export let calMonth: i32 = 0; // 1..12
export let calDay: i32 = 0; // 1..31
export let calHour: i32 = 0;
export let calMinute: i32 = 0;
export let calSecond: i32 = 0;
export let calWeekday: i32 = 0; // 0 = Sunday
export let calYearDay: i32 = 0; // 1..366

@inline export function calFloorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

@inline export function calFloorMod(a: i64, b: i64): i64 {
  return a - calFloorDiv(a, b) * b;
}

/** Days since 1970-01-01 of year y, month m (1..12), day 1, plus (d - 1) days. */
export function calDaysFromCivil(y: i64, m: i64, d: i64): i64 {
  const yy = m <= 2 ? y - 1 : y;
  const era = calFloorDiv(yy, 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = (153 * mp + 2) / 5;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + (d - 1);
}

/** Sets calYear/calMonth/calDay/calWeekday/calYearDay from days since 1970-01-01. */
export function calCivilFromDays(z0: i64): void {
  const z = z0 + 719468;
  const era = calFloorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  calYear = y;
  calMonth = <i32>m;
  calDay = <i32>d;
  calWeekday = <i32>calFloorMod(z0 + 4, 7); // 1970-01-01 was a Thursday
  calYearDay = <i32>(z0 - calDaysFromCivil(y, 1, 1) + 1);
}

/** Sets all cal* fields from seconds since the epoch (already shifted to local time). */
export function calFromSeconds(sec: i64): void {
  const days = calFloorDiv(sec, 86400);
  const rem = <i32>(sec - days * 86400);
  calCivilFromDays(days);
  calHour = rem / 3600;
  calMinute = (rem % 3600) / 60;
  calSecond = rem % 60;
}

export function calIsLeap(y: i64): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

export function calDaysIn(m: i32, y: i64): i32 {
  if (m == 2) return calIsLeap(y) ? 29 : 28;
  if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
  return 31;
}

// ---------------------------------------------------------------- time zones

const RULE_NONE: u8 = 0;
const RULE_EU: u8 = 1;
const RULE_US: u8 = 2;
const RULE_AU: u8 = 3; // southern Australia: DST from the first Sunday of October to the first Sunday of April

/** The zone looked up last (calZoneFind): standard offset (s), rule, and abbreviations. */
let zoneStd: i32 = 0;
let zoneRule: u8 = RULE_NONE;
let zoneAbbrStd: string = 'UTC';
let zoneAbbrDst: string = 'UTC';

/** Abbreviation of the offset computed by the last calZoneOffset call. */
export let calZoneAbbr: string = 'UTC';

/** Selects the zone named by bytes [p, p+n): "", "UTC" and "Local" are UTC. False when unknown. */
export function calZoneFind(p: usize, n: u32): bool {
  if (n == 0 || is(p, n, 'UTC') || is(p, n, 'Local') || is(p, n, 'Etc/UTC') || is(p, n, 'UCT') || is(p, n, 'Universal') || is(p, n, 'Zulu') || is(p, n, 'Etc/UCT') || is(p, n, 'Etc/Universal') || is(p, n, 'Etc/Zulu')) return set(0, RULE_NONE, 'UTC', 'UTC');
  if (is(p, n, 'GMT') || is(p, n, 'Etc/GMT') || is(p, n, 'Greenwich') || is(p, n, 'Etc/Greenwich')) return set(0, RULE_NONE, 'GMT', 'GMT');
  if (is(p, n, 'Europe/London') || is(p, n, 'GB') || is(p, n, 'Europe/Jersey') || is(p, n, 'Europe/Guernsey') || is(p, n, 'Europe/Isle_of_Man')) return set(0, RULE_EU, 'GMT', 'BST');
  if (is(p, n, 'Europe/Dublin') || is(p, n, 'Eire')) return set(0, RULE_EU, 'GMT', 'IST');
  if (is(p, n, 'WET') || is(p, n, 'Europe/Lisbon') || is(p, n, 'Portugal') || is(p, n, 'Atlantic/Canary') || is(p, n, 'Atlantic/Madeira') || is(p, n, 'Atlantic/Faroe')) return set(0, RULE_EU, 'WET', 'WEST');
  if (is(p, n, 'CET') || is(p, n, 'MET') || isIn(p, n, CET_ZONES)) return set(3600, RULE_EU, 'CET', 'CEST');
  if (is(p, n, 'EET') || isIn(p, n, EET_ZONES)) return set(7200, RULE_EU, 'EET', 'EEST');
  if (is(p, n, 'Europe/Moscow') || is(p, n, 'W-SU') || is(p, n, 'Europe/Simferopol')) return set(10800, RULE_NONE, 'MSK', 'MSK');
  if (is(p, n, 'Europe/Istanbul') || is(p, n, 'Turkey') || is(p, n, 'Europe/Minsk')) return set(10800, RULE_NONE, '+03', '+03');
  if (is(p, n, 'EST5EDT') || is(p, n, 'US/Eastern') || isIn(p, n, US_EASTERN)) return set(-18000, RULE_US, 'EST', 'EDT');
  if (is(p, n, 'CST6CDT') || is(p, n, 'US/Central') || is(p, n, 'America/Chicago') || is(p, n, 'America/Winnipeg') || is(p, n, 'America/Indiana/Knox') || is(p, n, 'America/Menominee')) return set(-21600, RULE_US, 'CST', 'CDT');
  if (is(p, n, 'MST7MDT') || is(p, n, 'US/Mountain') || is(p, n, 'America/Denver') || is(p, n, 'America/Edmonton') || is(p, n, 'America/Boise') || is(p, n, 'Navajo')) return set(-25200, RULE_US, 'MST', 'MDT');
  if (is(p, n, 'PST8PDT') || is(p, n, 'US/Pacific') || is(p, n, 'America/Los_Angeles') || is(p, n, 'America/Vancouver') || is(p, n, 'America/Tijuana')) return set(-28800, RULE_US, 'PST', 'PDT');
  if (is(p, n, 'America/Anchorage') || is(p, n, 'US/Alaska')) return set(-32400, RULE_US, 'AKST', 'AKDT');
  if (is(p, n, 'America/Halifax') || is(p, n, 'Canada/Atlantic')) return set(-14400, RULE_US, 'AST', 'ADT');
  if (is(p, n, 'EST') || is(p, n, 'America/Panama') || is(p, n, 'America/Cancun') || is(p, n, 'America/Jamaica')) return set(-18000, RULE_NONE, 'EST', 'EST');
  if (is(p, n, 'MST') || is(p, n, 'America/Phoenix') || is(p, n, 'US/Arizona')) return set(-25200, RULE_NONE, 'MST', 'MST');
  if (is(p, n, 'HST') || is(p, n, 'Pacific/Honolulu') || is(p, n, 'US/Hawaii')) return set(-36000, RULE_NONE, 'HST', 'HST');
  if (is(p, n, 'America/Sao_Paulo') || is(p, n, 'America/Argentina/Buenos_Aires') || is(p, n, 'America/Buenos_Aires')) return set(-10800, RULE_NONE, '-03', '-03');
  if (is(p, n, 'America/Mexico_City') || is(p, n, 'America/Regina') || is(p, n, 'America/Costa_Rica')) return set(-21600, RULE_NONE, 'CST', 'CST');
  if (is(p, n, 'America/Bogota') || is(p, n, 'America/Lima')) return set(-18000, RULE_NONE, '-05', '-05');
  if (is(p, n, 'Asia/Tokyo') || is(p, n, 'Japan')) return set(32400, RULE_NONE, 'JST', 'JST');
  if (is(p, n, 'Asia/Seoul') || is(p, n, 'ROK')) return set(32400, RULE_NONE, 'KST', 'KST');
  if (is(p, n, 'Asia/Shanghai') || is(p, n, 'PRC') || is(p, n, 'Asia/Taipei') || is(p, n, 'Asia/Chongqing')) return set(28800, RULE_NONE, 'CST', 'CST');
  if (is(p, n, 'Asia/Hong_Kong') || is(p, n, 'Hongkong')) return set(28800, RULE_NONE, 'HKT', 'HKT');
  if (is(p, n, 'Asia/Singapore') || is(p, n, 'Singapore') || is(p, n, 'Asia/Kuala_Lumpur') || is(p, n, 'Asia/Manila')) return set(28800, RULE_NONE, '+08', '+08');
  if (is(p, n, 'Australia/Perth')) return set(28800, RULE_NONE, 'AWST', 'AWST');
  if (is(p, n, 'Asia/Kolkata') || is(p, n, 'Asia/Calcutta')) return set(19800, RULE_NONE, 'IST', 'IST');
  if (is(p, n, 'Asia/Dubai') || is(p, n, 'Asia/Muscat')) return set(14400, RULE_NONE, '+04', '+04');
  if (is(p, n, 'Asia/Jakarta') || is(p, n, 'Asia/Bangkok') || is(p, n, 'Asia/Ho_Chi_Minh')) return set(25200, RULE_NONE, '+07', '+07');
  if (is(p, n, 'Asia/Karachi')) return set(18000, RULE_NONE, 'PKT', 'PKT');
  if (is(p, n, 'Africa/Johannesburg')) return set(7200, RULE_NONE, 'SAST', 'SAST');
  if (is(p, n, 'Africa/Lagos')) return set(3600, RULE_NONE, 'WAT', 'WAT');
  if (is(p, n, 'Africa/Nairobi')) return set(10800, RULE_NONE, 'EAT', 'EAT');
  if (is(p, n, 'Australia/Brisbane')) return set(36000, RULE_NONE, 'AEST', 'AEST');
  if (is(p, n, 'Australia/Sydney') || is(p, n, 'Australia/Melbourne') || is(p, n, 'Australia/Canberra') || is(p, n, 'Australia/Hobart') || is(p, n, 'Australia/ACT') || is(p, n, 'Australia/NSW')) return set(36000, RULE_AU, 'AEST', 'AEDT');
  if (is(p, n, 'Australia/Adelaide')) return set(34200, RULE_AU, 'ACST', 'ACDT');
  return false;
}

/** Offset from UTC (seconds) of the selected zone at UTC second `utc`; sets calZoneAbbr. */
export function calZoneOffset(utc: i64): i32 {
  if (zoneRule == RULE_NONE || !inDst(utc)) {
    calZoneAbbr = zoneAbbrStd;
    return zoneStd;
  }
  calZoneAbbr = zoneAbbrDst;
  return zoneStd + 3600;
}

/** UTC second of a local wall time (seconds since the epoch as if local were UTC) in the selected zone, resolved as Go's time.Date does. */
export function calLocalToUtc(local: i64): i64 {
  const first = calZoneOffset(local);
  const utc = local - first;
  const second = calZoneOffset(utc);
  return second == first ? utc : local - second;
}

function inDst(utc: i64): bool {
  calFromSeconds(utc);
  const y = calYear;
  if (zoneRule == RULE_EU) {
    const start = (lastSunday(y, 3) * 86400) + 3600;
    const end = (lastSunday(y, 10) * 86400) + 3600;
    return utc >= start && utc < end;
  }
  if (zoneRule == RULE_US) {
    const start = nthSunday(y, 3, 2) * 86400 + 7200 - zoneStd;
    const end = nthSunday(y, 11, 1) * 86400 + 7200 - (zoneStd + 3600);
    return utc >= start && utc < end;
  }
  // RULE_AU: daylight time outside [first Sunday of April 03:00 DST, first Sunday of October 02:00 std).
  const end = nthSunday(y, 4, 1) * 86400 + 10800 - (zoneStd + 3600);
  const start = nthSunday(y, 10, 1) * 86400 + 7200 - zoneStd;
  return utc < end || utc >= start;
}

/** Days since the epoch of the last Sunday of month m in year y. */
function lastSunday(y: i64, m: i64): i64 {
  const last = calDaysFromCivil(y, m, <i64>calDaysIn(<i32>m, y));
  return last - calFloorMod(last + 4, 7);
}

/** Days since the epoch of the k-th Sunday of month m in year y. */
function nthSunday(y: i64, m: i64, k: i64): i64 {
  const first = calDaysFromCivil(y, m, 1);
  const wd = calFloorMod(first + 4, 7);
  return first + calFloorMod(7 - wd, 7) + (k - 1) * 7;
}

function set(std: i32, rule: u8, abbrStd: string, abbrDst: string): bool {
  zoneStd = std;
  zoneRule = rule;
  zoneAbbrStd = abbrStd;
  zoneAbbrDst = abbrDst;
  return true;
}

function is(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

/** True when [p, p+n) equals one of the '|'-separated names in list. */
function isIn(p: usize, n: u32, list: string): bool {
  const len = <u32>list.length;
  let start: u32 = 0;
  for (let i: u32 = 0; i <= len; i++) {
    if (i == len || list.charCodeAt(i) == 0x7c) {
      if (i - start == n) {
        let same = true;
        for (let j: u32 = 0; j < n && same; j++) same = <u32>load<u8>(p + j) == <u32>list.charCodeAt(start + j);
        if (same) return true;
      }
      start = i + 1;
    }
  }
  return false;
}

const CET_ZONES = 'Europe/Paris|Europe/Berlin|Europe/Madrid|Europe/Rome|Europe/Amsterdam|Europe/Brussels|Europe/Vienna|Europe/Zurich|Europe/Stockholm|Europe/Oslo|Europe/Copenhagen|Europe/Warsaw|Europe/Prague|Europe/Budapest|Europe/Belgrade|Europe/Bratislava|Europe/Ljubljana|Europe/Zagreb|Europe/Sarajevo|Europe/Skopje|Europe/Luxembourg|Europe/Monaco|Europe/Malta|Europe/Andorra|Europe/Vaduz|Europe/San_Marino|Europe/Vatican|Europe/Gibraltar|Europe/Tirane|Europe/Podgorica|Europe/Busingen|Arctic/Longyearbyen|Poland|Africa/Ceuta';
const EET_ZONES = 'Europe/Helsinki|Europe/Athens|Europe/Kiev|Europe/Kyiv|Europe/Bucharest|Europe/Sofia|Europe/Riga|Europe/Tallinn|Europe/Vilnius|Europe/Mariehamn|Europe/Chisinau|Asia/Nicosia|Europe/Nicosia|Asia/Famagusta';
const US_EASTERN = 'America/New_York|America/Toronto|America/Detroit|America/Montreal|America/Nassau|America/Indiana/Indianapolis|America/Indianapolis|America/Kentucky/Louisville|America/Louisville|Canada/Eastern';

/** Scratch for callers that need a heap copy of an abbreviation. */
export function calAbbrCopy(s: string): usize {
  const p = malloc(s.length);
  for (let i = 0; i < s.length; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  return p;
}
