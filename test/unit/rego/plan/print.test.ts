// print() end to end: OPA's lowering to internal.print, written through the SDK's opa_println (console.log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from './evaluate.ts';

async function printed(source: string, entrypoint: string, input?: unknown): Promise<{ lines: string[]; result: unknown[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  try {
    const result = await evaluate([source], entrypoint, input === undefined ? {} : { input });
    return { lines, result };
  } finally {
    console.log = log;
  }
}

test('print writes strings raw, other values in Rego syntax, undefined arguments as <undefined>, and never fails the body', async () => {
  const { lines, result } = await printed(
    `package t
p if {
  x := {"a": [1, "b"]}
  print("x is", x, input.missing, {1, 2}, set())
  print(x.a[_])
}
`,
    't/p',
    { other: 1 },
  );
  assert.deepEqual(result, [{ result: true }]);
  assert.deepEqual(lines, ['x is {"a": [1, "b"]} <undefined> {1, 2} set()', '1', 'b']);
});
