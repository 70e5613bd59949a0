// Worker-thread entry for the conformance runner: loads TypeScript through tsx, then serves cases.
import '../../../bin/preload-binaryen.mjs';
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
