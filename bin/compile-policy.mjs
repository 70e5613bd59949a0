// A process of its own that compiles one policy folder with Airlock's compiler and hands the module back over IPC
// (src/policy/compile-isolated.ts starts it): the long-running processes never load binaryen (≈ 110 MB resident once a
// policy is compiled) and their event loop never waits for a compile.
import './preload-binaryen.mjs';
import { register } from 'tsx/esm/api';

register();
await import('../src/policy/compile-child.ts');
