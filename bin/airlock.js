#!/usr/bin/env node
// The `airlock` command: runs the TypeScript sources through tsx's loader.
import './preload-binaryen.mjs';
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
