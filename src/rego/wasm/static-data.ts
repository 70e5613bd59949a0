// Lays out a policy's constant values (strings, numbers, booleans, null, `with` paths, C strings) as runtime value headers in one data segment.

// Must match runtime/value.ts.
const T_NULL = 1;
const T_BOOLEAN = 2;
const T_NUMBER = 3;
const T_STRING = 4;
const T_ARRAY = 5;
const NUM_INT = 0;
const NUM_TEXT = 2;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export class StaticData {
  private bytes = new Uint8Array(1024);
  private size = 0;
  private readonly memo = new Map<string, number>();

  /** base: the memory address where the segment will be placed (8-aligned). */
  constructor(readonly base: number) {}

  /** Address of the first byte after the segment (the heap may start here). */
  get end(): number {
    return this.base + this.size;
  }

  contents(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  private alloc(n: number, align = 8): number {
    this.size = (this.size + align - 1) & ~(align - 1);
    const at = this.size;
    this.size += n;
    if (this.size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.size, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return at;
  }

  private u32(at: number, v: number): void {
    new DataView(this.bytes.buffer).setUint32(at, v >>> 0, true);
  }

  private cached(key: string, make: () => number): number {
    let addr = this.memo.get(key);
    if (addr === undefined) {
      addr = make();
      this.memo.set(key, addr);
    }
    return addr;
  }

  /** NUL-terminated UTF-8 bytes; returns [address, byte length without NUL]. */
  bytesOf(text: string): [number, number] {
    const enc = new TextEncoder().encode(text);
    const addr = this.cached(`b:${text}`, () => {
      const at = this.alloc(enc.length + 1, 1);
      this.bytes.set(enc, at);
      this.bytes[at + enc.length] = 0;
      return this.base + at;
    });
    return [addr, enc.length];
  }

  /** A NUL-terminated string for opa_abort. */
  cstring(text: string): number {
    return this.bytesOf(text)[0];
  }

  string(text: string): number {
    return this.cached(`s:${text}`, () => {
      const [ptr, len] = this.bytesOf(text);
      const at = this.alloc(16);
      this.u32(at, T_STRING);
      this.u32(at + 4, len);
      this.u32(at + 8, ptr);
      return this.base + at;
    });
  }

  null(): number {
    return this.cached('null', () => {
      const at = this.alloc(8);
      this.u32(at, T_NULL);
      return this.base + at;
    });
  }

  bool(b: boolean): number {
    return this.cached(`bool:${b}`, () => {
      const at = this.alloc(8);
      this.u32(at, T_BOOLEAN);
      this.u32(at + 4, b ? 1 : 0);
      return this.base + at;
    });
  }

  int(n: bigint): number {
    return this.cached(`i:${n}`, () => {
      const at = this.alloc(16);
      this.u32(at, T_NUMBER | (NUM_INT << 8));
      new DataView(this.bytes.buffer).setBigInt64(at + 8, n, true);
      return this.base + at;
    });
  }

  /** A number from literal text; undefined when the text is not a number. Integers in i64 range become exact ints. */
  number(text: string): number | undefined {
    if (!JSON_NUMBER.test(text)) return undefined;
    if (/^-?[0-9]+$/.test(text)) {
      const n = BigInt(text);
      if (n >= I64_MIN && n <= I64_MAX) return this.int(n);
      text = n.toString();
    }
    return this.cached(`n:${text}`, () => {
      const [ptr, len] = this.bytesOf(text);
      const at = this.alloc(16);
      this.u32(at, T_NUMBER | (NUM_TEXT << 8));
      this.u32(at + 4, len);
      this.u32(at + 8, ptr);
      return this.base + at;
    });
  }

  /** An array value of string values (a `with` path). */
  stringArray(items: string[]): number {
    return this.cached(`a:${JSON.stringify(items)}`, () => {
      const elems = items.map((s) => this.string(s));
      const data = this.alloc(Math.max(4, elems.length * 4));
      elems.forEach((e, i) => this.u32(data + i * 4, e));
      const at = this.alloc(16);
      this.u32(at, T_ARRAY);
      this.u32(at + 4, elems.length);
      this.u32(at + 8, elems.length);
      this.u32(at + 12, this.base + data);
      return this.base + at;
    });
  }
}
