// Appends one active data segment to an emitted WebAssembly binary (binaryen.js cannot add segments to a module whose memory is imported).

/** Returns a copy of `wasm` with `bytes` placed at memory offset `offset` by a new active data segment. */
export function appendDataSegment(wasm: Uint8Array, offset: number, bytes: Uint8Array): Uint8Array {
  const sections = readSections(wasm);
  const segment = concat([
    Uint8Array.of(0x00, 0x41), // active, memory 0, i32.const
    sleb(offset),
    Uint8Array.of(0x0b), // end
    uleb(bytes.length),
    bytes,
  ]);
  const data = sections.find((s) => s.id === 11);
  const out: Uint8Array[] = [wasm.subarray(0, 8)];
  let dataWritten = false;
  for (const s of sections) {
    if (s.id === 12) {
      // data count section: one more segment
      const [count] = readUleb(wasm, s.start);
      out.push(section(12, uleb(count + 1)));
      continue;
    }
    if (s.id === 11) {
      const [count, after] = readUleb(wasm, s.start);
      out.push(section(11, concat([uleb(count + 1), wasm.subarray(after, s.end), segment])));
      dataWritten = true;
      continue;
    }
    // A module without data: the data section goes after code (10), before custom sections that follow it.
    if (!data && !dataWritten && s.id === 0 && sections.some((x) => x.id === 10) && s.start > codeEnd(sections)) {
      out.push(section(11, concat([uleb(1), segment])));
      dataWritten = true;
    }
    out.push(wasm.subarray(s.headerStart, s.end));
  }
  if (!dataWritten) out.push(section(11, concat([uleb(1), segment])));
  return concat(out);
}

interface Section {
  id: number;
  headerStart: number;
  start: number;
  end: number;
}

function codeEnd(sections: Section[]): number {
  return sections.find((s) => s.id === 10)?.end ?? 0;
}

function readSections(wasm: Uint8Array): Section[] {
  const out: Section[] = [];
  let p = 8;
  while (p < wasm.length) {
    const headerStart = p;
    const id = wasm[p++]!;
    const [size, start] = readUleb(wasm, p);
    out.push({ id, headerStart, start, end: start + size });
    p = start + size;
  }
  return out;
}

function readUleb(buf: Uint8Array, p: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[p++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, p];
  }
}

function uleb(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return Uint8Array.from(out);
}

function sleb(n: number): Uint8Array {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return Uint8Array.from(out);
    }
    out.push(b | 0x80);
  }
}

function section(id: number, body: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(id), uleb(body.length), body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
