// Reading OPA bundles (.tar.gz with /policy.wasm, /data.json, /.manifest) as policy artifacts; the format is src/rego/bundle's.
import { BundleFormatError, readWasmBundle, type BundleManifest } from '../rego/bundle/index.ts';
import { PolicyLoadError } from './errors.ts';
import type { PolicyArtifact } from './compiled-policy.ts';

export type { BundleManifest };

export function readBundle(gz: Uint8Array, source: string): PolicyArtifact & { manifest: BundleManifest } {
  try {
    const b = readWasmBundle(gz);
    return { wasm: b.wasm, data: b.data, source, manifest: b.manifest };
  } catch (e) {
    if (e instanceof BundleFormatError) throw new PolicyLoadError('policy_bundle_invalid', `${source}: ${e.message}`);
    throw e;
  }
}
