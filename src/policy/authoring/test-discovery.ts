// Finds the `test_*` rules of `*_test.rego` files with their package and location, the way `opa test` names them.
import type { SourceFile } from '../../rego/index.ts';

export interface DiscoveredTest {
  /** `data.<package>.<rule>`, what `opa test` prints. */
  name: string;
  /** The SDK entrypoint: `<package path with />/<rule>`. */
  entrypoint: string;
  file: string;
  line: number;
  col: number;
  /** `todo_test_*` rules are reported as skipped, never run. */
  skipped: boolean;
}

const PACKAGE_LINE = /^\s*package\s+([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*(?:#.*)?$/;
// A rule head starts in column 1: `test_x if {`, `test_x := true if`, `test_x contains`, `test_x {` (v0).
const TEST_HEAD = /^((?:todo_)?test_[A-Za-z0-9_]*)\b(?!\s*\()/;

/** Test rules of one file, in source order; several definitions of one rule count once. */
export function discoverTests(file: SourceFile): DiscoveredTest[] {
  const lines = file.text.split(/\r?\n/);
  let pkg: string | undefined;
  let inRawString = false;
  const seen = new Set<string>();
  const found: DiscoveredTest[] = [];
  lines.forEach((line, index) => {
    const startsInRaw = inRawString;
    // Backquoted raw strings may span lines; a rule head never starts inside one.
    inRawString = (line.split('`').length - 1) % 2 === 1 ? !inRawString : inRawString;
    if (startsInRaw) return;
    const pkgMatch = PACKAGE_LINE.exec(line);
    if (pkgMatch) {
      pkg = pkgMatch[1];
      return;
    }
    const head = TEST_HEAD.exec(line);
    if (!head || pkg === undefined) return;
    const rule = head[1]!;
    const entrypoint = `${pkg.replace(/\./g, '/')}/${rule}`;
    if (seen.has(entrypoint)) return;
    seen.add(entrypoint);
    found.push({
      name: `data.${pkg}.${rule}`,
      entrypoint,
      file: file.path,
      line: index + 1,
      col: 1,
      skipped: rule.startsWith('todo_'),
    });
  });
  return found;
}

/** True for the files `opa test` reads tests from. */
export function isTestFile(path: string): boolean {
  return path.endsWith('_test.rego');
}

/** The package a file declares, as an entrypoint path (`airlock/guardrails/sql`); undefined when none is found. */
export function packageEntrypoint(file: SourceFile): string | undefined {
  for (const line of file.text.split(/\r?\n/)) {
    const m = PACKAGE_LINE.exec(line);
    if (m) return m[1]!.replace(/\./g, '/');
  }
  return undefined;
}
