// `airlock policy build`: compile Rego files into a WebAssembly module or an OPA wasm bundle.
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { DumpStage, SourceFile } from '../../rego/index.ts';

interface BuildOptions {
  entrypoint: string[];
  output?: string;
  data?: string;
  bundle?: boolean;
  v0Compatible?: boolean;
  dump?: DumpStage;
}

/** Adds `build` to the `policy` command group. */
export function registerPolicyBuild(group: Command): void {
  group
    .command('build')
    .description('compile Rego into one WebAssembly module (or an OPA bundle with --bundle)')
    .argument('<paths...>', '.rego files or folders (folders: every .rego except *_test.rego, and their data.json)')
    .requiredOption('-e, --entrypoint <ref...>', 'entrypoint(s), OPA style: airlock/decision')
    .option('-o, --output <file>', 'output file (default policy.wasm, or bundle.tar.gz with --bundle)')
    .option('--data <file>', 'data.json to put in the bundle (merged over data.json found in folders)')
    .option('--bundle', 'write an OPA bundle (.tar.gz with /policy.wasm, /data.json, /.manifest)')
    .option('--v0-compatible', "accept the v0 Rego dialect the way opa's --v0-compatible does")
    .option('--dump <stage>', 'print a stage instead of writing output: ast | ir | wat')
    .action(async (paths: string[], opts: BuildOptions) => {
      process.exitCode = await buildPolicy(paths, opts);
    });
}

async function buildPolicy(paths: string[], opts: BuildOptions): Promise<number> {
  // Loaded on use so that other commands start without the compiler's weight.
  const { compile, formatRegoError, mergeInto, readPolicyData, readPolicySources } = await import('../../rego/index.ts');
  const { writeWasmBundle } = await import('../../rego/bundle/index.ts');
  const files: SourceFile[] = [];
  const data: Record<string, unknown> = {};
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) {
      console.error(`${p}: no such file or folder`);
      return 2;
    }
    if (info.isDirectory()) {
      files.push(...(await readPolicySources(p, false)).rego);
      mergeInto(data, await readPolicyData(p), p);
    } else {
      files.push({ path: p, text: await readFile(p, 'utf8') });
    }
  }
  if (opts.data) mergeInto(data, JSON.parse(await readFile(opts.data, 'utf8')), opts.data);
  if (files.length === 0) {
    console.error('no .rego files found');
    return 2;
  }
  const entrypoints = opts.entrypoint.map((e) => e.replace(/^data\./, '').replace(/\./g, '/'));
  const result = await compile(files, { entrypoints, regoVersion: opts.v0Compatible ? 0 : 1, dump: opts.dump });
  if (opts.dump && result.dump !== undefined) console.log(result.dump);
  for (const e of result.errors) console.error(formatRegoError(e));
  if (result.errors.length > 0) {
    console.error(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
    return 1;
  }
  if (opts.dump) return 0;
  if (!result.wasm) return 1;
  const out = opts.output ?? (opts.bundle ? 'bundle.tar.gz' : 'policy.wasm');
  const bytes = opts.bundle ? writeWasmBundle({ wasm: result.wasm, data, entrypoints }) : result.wasm;
  await writeFile(out, bytes);
  const t = result.timings;
  console.error(`wrote ${out} (${bytes.length} bytes; parse ${t.parse.toFixed(0)} ms, plan ${t.plan.toFixed(0)} ms, codegen ${t.codegen.toFixed(0)} ms)`);
  return 0;
}
