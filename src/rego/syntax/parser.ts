// Entry points of the Rego front end: modules (package, imports, rules), query bodies and refs.
//
// Errors are collected, several per file: a statement that fails is skipped up to the
// next line at bracket depth 0 and parsing goes on. A module is returned only when the
// file has no error at all.

import type { Body, Import, Location, Module, RefTerm, RegoError, Rule, StringTerm, Term } from './ast.ts';
import { ParseFailure } from './cursor.ts';
import { RuleParser } from './rules.ts';
import { checkRegoV1Module } from './v1checks.ts';
import { termTypeName } from './terms.ts';
import { BASE_KEYWORDS, FUTURE_KEYWORDS, V1_KEYWORDS, type Token } from './tokens.ts';

export interface ParseOptions {
  /** 1: Rego v1 (OPA 1.x default). 0: OPA's `--v0-compatible` dialect. */
  regoVersion: 0 | 1;
}

export interface ParseModuleResult {
  /** Present exactly when `errors` is empty. */
  module?: Module;
  errors: RegoError[];
}

export interface ParseBodyResult {
  body?: Body;
  errors: RegoError[];
}

export function parseModule(file: string, text: string, opts: ParseOptions): ParseModuleResult {
  return guarded(file, () => new ModuleParser(file, text, opts).parseModule());
}

/** A query body such as `x := data.a[_]; x > 1` (keywords per `opts.regoVersion`). */
export function parseBody(file: string, text: string, opts: ParseOptions): ParseBodyResult {
  return guarded(file, () => new ModuleParser(file, text, opts).parseQuery());
}

/** A reference such as `data.test.x` or `data.a["b c"][0]`; undefined when `text` is not exactly one ref. */
export function parseRef(text: string): RefTerm | undefined {
  const result: { ref?: RefTerm; errors: RegoError[] } = guarded('<query>', () =>
    new ModuleParser('<query>', text, { regoVersion: 1 }).parseSingleRef());
  return result.errors.length === 0 ? result.ref : undefined;
}

/** Converts an unforeseen exception into an error: bad input must never crash the caller. */
function guarded<T extends { errors: RegoError[] }>(file: string, run: () => T): T | { errors: RegoError[] } {
  try {
    return run();
  } catch (e) {
    const message = e instanceof RangeError ? 'input too deeply nested' : `internal parser error: ${String(e)}`;
    return { errors: [{ code: 'rego_parse_error', message, loc: { file, line: 1, col: 1 } }] };
  }
}

const IMPORT_ROOTS = ['data', 'future', 'input', 'rego'];

const EXCLUSIVE_IMPORTS = 'the `rego.v1` import implies `future.keywords`, these are therefore mutually exclusive';

class ModuleParser extends RuleParser {
  private moduleVersion: 0 | 1;
  private importedRegoV1 = false;
  private importedFuture = false;

  constructor(
    file: string,
    text: string,
    private readonly opts: ParseOptions,
  ) {
    super(file, text);
    this.moduleVersion = opts.regoVersion;
    if (opts.regoVersion === 1) for (const kw of FUTURE_KEYWORDS) this.futureKeywords.add(kw);
  }

  parseModule(): ParseModuleResult {
    let pkg: RefTerm | undefined;
    let pkgLoc: Location | undefined;
    const imports: Import[] = [];
    const rules: Rule[] = [];
    if (this.at('eof')) this.report({ file: this.file, line: 1, col: 1 }, 'empty module');
    let first = true;
    while (!this.at('eof')) {
      const start = this.pos;
      const startTok = this.tok;
      this.hints = [];
      if (first && !this.atKeyword('package')) this.report(this.loc(startTok), 'package expected');
      try {
        if (this.atKeyword('package')) {
          const p = this.parsePackage();
          if (pkg) this.report(this.loc(startTok), 'unexpected package');
          else {
            pkg = p;
            pkgLoc = this.loc(startTok);
          }
        } else if (this.atKeyword('import')) {
          imports.push(this.parseImport());
        } else {
          rules.push(...this.parseRuleStatement());
        }
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        this.errors.push(e.error);
        this.hints = [];
        this.depth = 0;
        this.recover(start, e.pos);
      }
      first = false;
      this.clearTermCache();
    }
    if (this.moduleVersion === 1) for (const rule of rules) this.checkRegoV1(rule);
    if (this.errors.length > 0 || !pkg) return { errors: sortErrors(this.errors) };
    const module: Module = { file: this.file, package: pkg, imports, rules, regoVersion: this.moduleVersion, loc: pkgLoc ?? pkg.loc };
    const errors = module.regoVersion === 1 ? checkRegoV1Module(module) : [];
    return errors.length > 0 ? { errors: sortErrors(errors) } : { module, errors };
  }

  parseQuery(): ParseBodyResult {
    try {
      const body = this.parseBody('eof');
      return { body, errors: sortErrors(this.errors) };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { errors: sortErrors([...this.errors, e.error]) };
    }
  }

  parseSingleRef(): { ref?: RefTerm; errors: RegoError[] } {
    try {
      const term = this.parseTerm();
      if (!this.at('eof')) this.unexpected(this.tok, 'end of reference');
      if (term.type !== 'ref') this.failAt(term.loc, `expected a reference, got ${termTypeName(term)}`);
      return { ref: term, errors: [] };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { errors: [e.error] };
    }
  }

  /** `package a.b["c"]` → data.a.b.c */
  private parsePackage(): RefTerm {
    this.next();
    const nameTok = this.tok;
    if (nameTok.kind !== 'ident') this.unexpected(nameTok, 'package name');
    this.next();
    const loc = this.loc(nameTok);
    const path: StringTerm[] = [{ type: 'string', value: nameTok.text, loc }, ...this.parsePathTail('package')];
    return { type: 'ref', head: { type: 'var', name: 'data', loc }, path, loc };
  }

  private parseImport(): Import {
    const importTok = this.next();
    const rootTok = this.tok;
    if (rootTok.kind !== 'ident') this.unexpected(rootTok, 'import path');
    this.next();
    const rootLoc = this.loc(rootTok);
    const root = rootTok.text;
    const path = this.parsePathTail('import');
    const ref: RefTerm = { type: 'ref', head: { type: 'var', name: root, loc: rootLoc }, path, loc: rootLoc };
    const text = [root, ...path.map((p) => p.value)].join('.');
    if (!IMPORT_ROOTS.includes(root)) {
      this.failAt(rootLoc, `unexpected import path, must begin with one of: {${IMPORT_ROOTS.join(', ')}}, got: ${root}`);
    }
    const imp: Import = { path: ref, loc: this.loc(importTok) };
    if (this.atKeyword('as')) {
      this.next();
      const alias = this.tok;
      if (alias.kind !== 'ident' || this.isKeyword(alias)) this.unexpected(alias, 'a variable name after `as`');
      this.next();
      imp.alias = alias.text;
    } else if (root !== 'future') {
      const last = path.length === 0 ? root : path[path.length - 1]!.value;
      const keywords = this.opts.regoVersion === 1 ? V1_KEYWORDS : BASE_KEYWORDS;
      if (keywords.has(last)) {
        this.report(path.length === 0 ? rootLoc : path[path.length - 1]!.loc,
          `unexpected import path, must not end with a keyword, got: ${last} (hint: import a different path or use an alias)`);
      }
    }
    if (root === 'future') this.importFutureKeywords(path, imp, rootLoc);
    if (root === 'rego') this.importRegoV1(path, imp, text, rootLoc);
    return imp;
  }

  private importFutureKeywords(path: StringTerm[], imp: Import, loc: RegoError['loc']): void {
    if (path.length === 0 || path[0]!.value !== 'keywords') this.failAt(loc, 'invalid import, must be `future.keywords`');
    if (imp.alias !== undefined) this.failAt(loc, '`future` imports cannot be aliased');
    if (this.importedRegoV1) this.failAt(loc, EXCLUSIVE_IMPORTS);
    this.importedFuture = true;
    if (path.length === 1) {
      for (const kw of FUTURE_KEYWORDS) this.futureKeywords.add(kw);
      return;
    }
    const kw = path[1]!.value;
    if (path.length > 2) this.failAt(loc, 'invalid import, must be `future.keywords.x`, e.g. `import future.keywords.in`');
    if (!FUTURE_KEYWORDS.includes(kw)) this.failAt(loc, `unexpected keyword, must be one of [${[...FUTURE_KEYWORDS].sort().join(' ')}]`);
    this.futureKeywords.add(kw);
  }

  private importRegoV1(path: StringTerm[], imp: Import, text: string, loc: RegoError['loc']): void {
    if (path.length !== 1 || path[0]!.value !== 'v1') this.failAt(loc, `invalid import \`${text}\`, must be \`rego.v1\``);
    if (this.opts.regoVersion === 1) return;
    if (imp.alias !== undefined) this.failAt(loc, '`rego` imports cannot be aliased');
    if (this.importedFuture) this.failAt(loc, EXCLUSIVE_IMPORTS);
    this.importedRegoV1 = true;
    for (const kw of FUTURE_KEYWORDS) this.futureKeywords.add(kw);
    this.moduleVersion = 1;
  }

  /** `.name` and `["name"]` elements directly after a package or import root. */
  private parsePathTail(what: 'package' | 'import'): StringTerm[] {
    const path: StringTerm[] = [];
    for (;;) {
      const t: Token = this.tok;
      if (t.spaceBefore) return path;
      if (t.kind === '.') {
        path.push(this.parseDottedName());
      } else if (t.kind === '[') {
        this.next();
        const term: Term = this.parseInfix(true);
        if (term.type !== 'string') this.failAt(term.loc, `unexpected ${termTypeName(term)}: ${what} path elements must be strings`);
        this.expect(']');
        path.push(term);
      } else {
        return path;
      }
    }
  }
}

function sortErrors(errors: RegoError[]): RegoError[] {
  return [...errors].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
}
