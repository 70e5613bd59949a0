// Lowers `print(a, b, …)` the way OPA's compiler rewrites it: `internal.print([{x | x = a}, {y | y = b}])`.
//
// Each argument is collected into a set of all its values (empty when it is undefined, which
// OPA prints as `<undefined>`), the sets go into one array, and the runtime builtin
// `internal.print` prints the cross product of the sets, one line per combination, through
// `opa_println`. Printing never fails the body.
import type { Location, Term } from '../syntax/ast.ts';
import type { BodyPlanner, K } from './body.ts';
import { localOp } from './builder.ts';

export const PRINT_BUILTIN = 'internal.print';

export function planPrint(bp: BodyPlanner, args: Term[], loc: Location, k: K): void {
  const fb = bp.fb;
  const sets = args.map((arg) => {
    const set = fb.newLocal();
    fb.emit({ op: 'makeSet', target: set });
    fb.nested(() => bp.term(arg, (v) => fb.emit({ op: 'setAdd', value: v, set })));
    return set;
  });
  const operands = fb.newLocal();
  fb.emit({ op: 'makeArray', capacity: sets.length, target: operands });
  for (const s of sets) fb.emit({ op: 'arrayAppend', value: localOp(s), array: operands });
  const ignored = fb.newLocal();
  fb.nested(() => fb.emit({ op: 'callBuiltin', name: PRINT_BUILTIN, args: [localOp(operands)], result: ignored, loc }));
  k();
}
