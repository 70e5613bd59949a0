// Public API of the Rego front end: parse modules, query bodies and refs into the AST of ast.ts.

export { parseBody, parseModule, parseRef } from './parser.ts';
export type { ParseBodyResult, ParseModuleResult, ParseOptions } from './parser.ts';
export { tokenize } from './lexer.ts';
export type { Token, TokenKind } from './tokens.ts';
export { isGround } from './rules.ts';
export { nameRef, refName } from './terms.ts';
export * from './ast.ts';
export { formatBody, formatExpr, formatModule, formatRef, formatRule, formatTerm } from './printer.ts';
