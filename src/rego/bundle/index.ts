// OPA bundles for WebAssembly: the `/policy.wasm`, `/data.json`, `/.manifest` layout that `opa build -t wasm` writes.
import { gunzipSync, gzipSync } from 'node:zlib';
import { TarFormatError, readTar, writeTar } from './tar.ts';

export interface WasmBundle {
  wasm: Uint8Array;
  data: unknown;
  manifest: BundleManifest;
}

export interface BundleManifest {
  revision?: string;
  roots?: string[];
  wasm?: Array<{ entrypoint: string; module: string }>;
  rego_version?: number;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BundleFormatError extends Error {
  readonly code = 'bundle_format_error';
}

/** Write a gzipped OPA bundle holding one wasm module with the given entrypoints. */
export function writeWasmBundle(opts: {
  wasm: Uint8Array;
  data: unknown;
  entrypoints: string[];
  revision?: string;
}): Uint8Array {
  const manifest: BundleManifest = {
    revision: opts.revision ?? '',
    roots: [''],
    wasm: opts.entrypoints.map((entrypoint) => ({ entrypoint, module: '/policy.wasm' })),
    rego_version: 1,
  };
  const enc = new TextEncoder();
  const tar = writeTar([
    { name: '/data.json'.slice(1), data: enc.encode(JSON.stringify(opts.data ?? {})) },
    { name: '/policy.wasm'.slice(1), data: opts.wasm },
    { name: '/.manifest'.slice(1), data: enc.encode(JSON.stringify(manifest)) },
  ]);
  return gzipSync(tar);
}

/** Read a gzipped OPA wasm bundle (ours or one written by `opa build -t wasm`). */
export function readWasmBundle(gz: Uint8Array): WasmBundle {
  let entries;
  try {
    entries = readTar(gunzipSync(gz));
  } catch (e) {
    throw new BundleFormatError(e instanceof TarFormatError ? e.message : `not a gzipped tar bundle: ${(e as Error).message}`);
  }
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const manifestBytes = byName.get('.manifest');
  const manifest: BundleManifest = manifestBytes ? parseJson(manifestBytes, '.manifest') as BundleManifest : {};
  const modulePath = (manifest.wasm?.[0]?.module ?? '/policy.wasm').replace(/^\//, '');
  const wasm = byName.get(modulePath);
  if (!wasm) throw new BundleFormatError(`no /${modulePath} in bundle`);
  // data.json at the root is the data document; data.json in a folder a/b/ is mounted at data.a.b (as OPA does).
  const data: Record<string, unknown> = {};
  const dataFiles = [...byName.keys()].filter((p) => p === 'data.json' || p.endsWith('/data.json')).sort((a, b) => a.length - b.length);
  for (const path of dataFiles) mountData(data, path.split('/').slice(0, -1), parseJson(byName.get(path)!, path), path);
  return { wasm, data, manifest };
}

/** Deep-merges `value` into `root` at the folder `segments`; a data.json must hold an object. */
function mountData(root: Record<string, unknown>, segments: string[], value: unknown, path: string): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BundleFormatError(`/${path} in bundle must hold a JSON object`);
  let node = root;
  for (const seg of segments) {
    const next = node[seg];
    node = node[seg] = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  for (const [k, v] of Object.entries(value)) {
    const cur = node[k];
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) {
      mountData(node, [k], v, path);
    } else {
      node[k] = v;
    }
  }
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new BundleFormatError(`${name} in bundle is not valid JSON: ${(e as Error).message}`);
  }
}
