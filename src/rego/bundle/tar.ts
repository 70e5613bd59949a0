// Minimal POSIX ustar archives: enough to write and read OPA bundles (regular files only).

export interface TarEntry {
  /** Path inside the archive, without a leading slash (`policy.wasm`, `.manifest`). */
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

/** Build an uncompressed tar archive of regular files. */
export function writeTar(entries: TarEntry[], mtimeSeconds = 0): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const entry of entries) {
    chunks.push(header(entry, mtimeSeconds));
    chunks.push(entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** A tar archive that ends inside an entry or has an unreadable size. */
export class TarFormatError extends Error {
  readonly code = 'tar_format_error';
}

/** Read the regular files of a tar archive (ustar, GNU long names, pax `path` records). */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + BLOCK <= archive.length) {
    const h = archive.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(cstring(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    const prefix = cstring(h, 345, 155);
    let name = cstring(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    if (!Number.isFinite(size) || off + BLOCK + size > archive.length) throw new TarFormatError(`truncated or corrupt tar entry "${name}"`);
    const data = archive.slice(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = new TextDecoder().decode(data).replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      longName = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data))?.[1] ?? longName;
      continue;
    }
    if (type === '0' || type === '\0') {
      entries.push({ name: (longName ?? name).replace(/^(\.\/|\/)+/, ''), data });
    }
    longName = undefined;
  }
  return entries;
}

function header(entry: TarEntry, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const name = new TextEncoder().encode(entry.name);
  if (name.length > 100) throw new Error(`tar entry name too long: ${entry.name}`);
  h.set(name, 0);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, entry.data.length);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = '0'.charCodeAt(0);
  h.set(new TextEncoder().encode('ustar\0'), 257);
  h.set(new TextEncoder().encode('00'), 263);
  const sum = h.reduce((n, b) => n + b, 0);
  writeOctal(h, 148, 7, sum);
  h[155] = 0x20;
  return h;
}

function writeOctal(buf: Uint8Array, off: number, len: number, value: number): void {
  const s = value.toString(8).padStart(len - 1, '0');
  buf.set(new TextEncoder().encode(s), off);
  buf[off + len - 1] = 0;
}

function cstring(buf: Uint8Array, off: number, len: number): string {
  const slice = buf.subarray(off, off + len);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end === -1 ? slice : slice.subarray(0, end));
}
