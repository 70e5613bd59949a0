// Entry of the AssemblyScript runtime: everything exported here (and from builtins/*.ts) is a module export.

export { airlock_heap_ptr, airlock_cache_base, airlock_cache_end, opa_abort as rt_opa_abort } from './memory';
export * from './abi';
export * from './codegen_support';
