// Loads binaryen.js with Node's own loader, before tsx's loader is registered: through tsx's loader its ~10 MB
// module takes ~4.5 s to load instead of ~0.25 s. Later imports of 'binaryen' from TypeScript reuse this instance.
await import('binaryen');
