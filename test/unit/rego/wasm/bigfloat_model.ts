// Reference model of OPA's non-integer arithmetic for tests: Go big.Float (64-bit mantissa, nearest even) on exact rationals, printed like Text('g', -1).
//
// Deliberately simple and slow (BigInt rationals), independent of the runtime's bigfloat.ts.

interface Rat { n: bigint; d: bigint }

/** Exact value of a decimal literal. */
function parseDecimal(s: string): Rat {
  const [mantissa, expText] = s.toLowerCase().split('e') as [string, string | undefined];
  const neg = mantissa.startsWith('-');
  const [int, frac = ''] = (neg ? mantissa.slice(1) : mantissa).split('.') as [string, string | undefined];
  const n = BigInt(int + frac) * (neg ? -1n : 1n);
  const e10 = Number(expText ?? 0) - frac.length;
  return e10 >= 0 ? { n: n * 10n ** BigInt(e10), d: 1n } : { n, d: 10n ** BigInt(-e10) };
}

const bitLength = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

/** Nearest value with a 64-bit mantissa (ties to even). */
function round64(r: Rat): Rat {
  if (r.n === 0n) return { n: 0n, d: 1n };
  const neg = r.n < 0n;
  const n = neg ? -r.n : r.n;
  let e = BigInt(bitLength(n) - bitLength(r.d)) - 64n;
  const scaled = (k: bigint): [bigint, bigint] => (k >= 0n ? [n, r.d << k] : [n << -k, r.d]);
  let [a, b] = scaled(e);
  while (a / b >= 1n << 64n) [a, b] = scaled(++e);
  while (a / b < 1n << 63n) [a, b] = scaled(--e);
  let q = a / b;
  const rem = a % b;
  if (2n * rem > b || (2n * rem === b && (q & 1n) === 1n)) q++;
  const m = neg ? -q : q;
  return e >= 0n ? { n: m << e, d: 1n } : { n: m, d: 1n << -e };
}

/** Exact decimal digits (no trailing zeros) and decimal point position of a dyadic rational n / 2^k. */
function decimalOf(n: bigint, e: bigint): { digits: string; dp: number } {
  const text = e >= 0n ? (n << e).toString() : (n * 5n ** -e).toString();
  const dp = e >= 0n ? text.length : text.length + Number(e);
  return { digits: text.replace(/0+$/, ''), dp };
}

/** Go's Float.Text('g', -1): the shortest digits by Go's roundShortest (bounds ±1/2 ulp at 64 bits), then %g. */
function shortestText(x: Rat): string {
  if (x.n === 0n) return '0';
  const neg = x.n < 0n;
  // x = m * 2^e with a 64-bit m
  let m = neg ? -x.n : x.n;
  let e = -BigInt(bitLength(x.d) - 1);
  while (m >= 1n << 64n) {
    m >>= 1n;
    e++;
  }
  while (m < 1n << 63n) {
    m <<= 1n;
    e--;
  }
  const d = decimalOf(m, e);
  const lower = decimalOf(2n * m - 1n, e - 1n);
  const upper = decimalOf(2n * m + 1n, e - 1n);
  const inclusive = (m & 1n) === 0n;
  const at = (s: string, i: number) => (i < s.length ? s.charCodeAt(i) : 48);
  let digits = d.digits;
  let dp = d.dp;
  for (let i = 0; i < d.digits.length; i++) {
    const c = at(d.digits, i);
    const l = at(lower.digits, i);
    const u = at(upper.digits, i);
    const okdown = l !== c || (inclusive && i + 1 === lower.digits.length);
    const okup = c !== u && (inclusive || c + 1 < u || i + 1 < upper.digits.length);
    const roundUp = () => {
      const up = (BigInt(d.digits.slice(0, i + 1)) + 1n).toString();
      if (up.length > i + 1) dp++;
      return up;
    };
    if (okdown && okup) {
      const next = at(d.digits, i + 1);
      const half = next === 53 && i + 2 === d.digits.length;
      const up = half ? (c - 48) % 2 === 1 : next >= 53;
      digits = up ? roundUp() : d.digits.slice(0, i + 1);
      break;
    }
    if (okdown) {
      digits = d.digits.slice(0, i + 1);
      break;
    }
    if (okup) {
      digits = roundUp();
      break;
    }
  }
  return (neg ? '-' : '') + formatG(digits, dp - digits.length);
}

function formatG(digitsIn: string, kIn: number): string {
  let digits = digitsIn;
  let k = kIn;
  while (digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    k++;
  }
  const n = digits.length;
  const dp = n + k;
  const x = dp - 1;
  if (x < -4 || x >= 6) return `${digits[0]}${n > 1 ? '.' + digits.slice(1) : ''}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  if (dp <= 0) return `0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= n) return digits + '0'.repeat(dp - n);
  return `${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

const ops: Record<string, (x: Rat, y: Rat) => Rat> = {
  '+': (x, y) => ({ n: x.n * y.d + y.n * x.d, d: x.d * y.d }),
  '-': (x, y) => ({ n: x.n * y.d - y.n * x.d, d: x.d * y.d }),
  '*': (x, y) => ({ n: x.n * y.n, d: x.d * y.d }),
  '/': (x, y) => (y.n < 0n ? { n: -x.n * y.d, d: x.d * -y.n } : { n: x.n * y.d, d: x.d * y.n }),
};

/** What OPA prints for `a op b` when at least one operand is not a small integer. */
export function opaArithmetic(a: string, op: '+' | '-' | '*' | '/', b: string): string {
  return shortestText(round64(ops[op]!(round64(parseDecimal(a)), round64(parseDecimal(b)))));
}
