// internal.print (Rego's print): one line per combination of the argument sets, written with opa_println.
//
// The planner passes one array of sets, one set per print argument, holding every value the
// argument has (empty when it is undefined). As OPA's topdown print: the line is the arguments
// joined by single spaces; a string prints raw, any other value in Rego syntax (dumpRego:
// `[1, "a"]`, `{"k": "v"}`, `{1, 2}`), an empty set as `<undefined>`; several values of one
// argument print one line each (cross product, in set order). Printing never fails.

import { opa_println } from '../memory';
import { Value, typeOf, T_ARRAY, T_SET, T_STRING, makeBool, arrayLen, arrayGet, setLen, setElemAt, stringPtr, stringLen } from '../value';
import { dumpRego, cstrLen } from '../json';
import { bufNew, bufBytes, bufByte, bufLit, bufData, bufLen, bufTruncate, Buf } from './byte_buffer';

export function builtin_internal_print(operands: Value): Value {
  if (typeOf(operands) != T_ARRAY) return 0;
  const n = arrayLen(operands);
  for (let i: u32 = 0; i < n; i++) if (typeOf(arrayGet(operands, i)) != T_SET) return 0;
  printCombinations(operands, 0, bufNew(64));
  return makeBool(true);
}

function printCombinations(operands: Value, i: u32, line: Buf): void {
  const n = arrayLen(operands);
  if (i == n) {
    bufByte(line, 0);
    opa_println(bufData(line));
    bufTruncate(line, bufLen(line) - 1);
    return;
  }
  const mark = bufLen(line);
  const sep: u32 = i > 0 ? 1 : 0;
  const xs = arrayGet(operands, i);
  const count = setLen(xs);
  if (count == 0) {
    if (sep) bufByte(line, 0x20);
    bufLit(line, "<undefined>");
    printCombinations(operands, i + 1, line);
    bufTruncate(line, mark);
    return;
  }
  for (let j: u32 = 0; j < count; j++) {
    const x = setElemAt(xs, j);
    if (sep) bufByte(line, 0x20);
    if (typeOf(x) == T_STRING) bufBytes(line, stringPtr(x), stringLen(x));
    else {
      const text = dumpRego(x);
      bufBytes(line, text, cstrLen(text));
    }
    printCombinations(operands, i + 1, line);
    bufTruncate(line, mark);
  }
}
