// Reading OPA bundles (.tar.gz with /policy.wasm, /data.json, /.manifest), the layout `opa build -t wasm` writes.
import { gunzipSync } from 'node:zlib';
import { PolicyLoadError } from './errors.ts';
import type { PolicyArtifact } from './compiled-policy.ts';

export interface BundleManifest { revision?: string; roots?: string[]; wasm?: Array<{ entrypoint: string; module: string }> }

export function readBundle(gz: Uint8Array, source: string): PolicyArtifact & { manifest: BundleManifest } {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz);
  } catch (e) {
    throw new PolicyLoadError('policy_bundle_invalid', `${source}: not a gzip file (${(e as Error).message})`);
  }
  const files = untar(tar, source);
  const manifestText = files.get('.manifest');
  let manifest: BundleManifest = {};
  if (manifestText) {
    try {
      manifest = JSON.parse(manifestText.toString('utf8')) as BundleManifest;
    } catch {
      throw new PolicyLoadError('policy_bundle_invalid', `${source}: /.manifest is not JSON`);
    }
  }
  const modulePath = manifest.wasm?.[0]?.module?.replace(/^\/+/, '') ?? 'policy.wasm';
  const wasm = files.get(modulePath);
  if (!wasm) throw new PolicyLoadError('policy_bundle_invalid', `${source}: no /${modulePath} in bundle`);

  // data.json at the root is the data document; data.json in a folder a/b/ is mounted at data.a.b.
  let data: Record<string, unknown> = {};
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.length - b.length)) {
    if (path !== 'data.json' && !path.endsWith('/data.json')) continue;
    let value: unknown;
    try {
      value = JSON.parse(content.toString('utf8'));
    } catch {
      throw new PolicyLoadError('policy_bundle_invalid', `${source}: /${path} is not JSON`);
    }
    const segments = path.split('/').slice(0, -1);
    data = mountAt(data, segments, value);
  }
  return { wasm: new Uint8Array(wasm), data, source, manifest };
}

function mountAt(root: Record<string, unknown>, segments: string[], value: unknown): Record<string, unknown> {
  if (segments.length === 0) {
    return value && typeof value === 'object' && !Array.isArray(value) ? { ...root, ...(value as Record<string, unknown>) } : root;
  }
  let node = root;
  for (const seg of segments.slice(0, -1)) {
    const next = node[seg];
    node = node[seg] = next && typeof next === 'object' ? (next as Record<string, unknown>) : {};
  }
  node[segments[segments.length - 1]!] = value;
  return root;
}

/** Minimal ustar reader: regular files only, with GNU long names and pax path headers. */
function untar(tar: Buffer, source: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = cstr(header.subarray(0, 100));
    const size = parseInt(cstr(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = cstr(header.subarray(345, 500));
    if (!Number.isFinite(size) || offset + 512 + size > tar.length) {
      throw new PolicyLoadError('policy_bundle_invalid', `${source}: truncated or corrupt tar entry "${name}"`);
    }
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = cstr(body);
    else if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1]!;
    } else if (type === '0' || type === '\0') {
      const full = longName ?? (prefix ? `${prefix}/${name}` : name);
      files.set(full.replace(/^(\.\/|\/)+/, ''), Buffer.from(body));
      longName = null;
    } else longName = null;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function cstr(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
}
