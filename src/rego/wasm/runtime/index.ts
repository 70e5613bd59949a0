// Entry of the AssemblyScript runtime: everything exported here (and from builtins/*.ts) is a module export.

export { airlock_heap_ptr } from './memory';
export { malloc as rt_malloc } from './memory';
export { makeArray as rt_make_array, arrayAppend as rt_array_append, makeObject as rt_make_object, objectInsert as rt_object_insert, objectGet as rt_object_get, makeSet as rt_make_set, setAdd as rt_set_add } from './value';
export { compare as rt_compare, equal as rt_equal } from './compare';
export { parseNumber as rt_parse_number, numAdd as rt_num_add, numSub as rt_num_sub, numMul as rt_num_mul, numDiv as rt_num_div, numRem as rt_num_rem, formatF64 as rt_format_f64 } from './number';
