// Builtins that a WebAssembly module cannot compute itself and imports from its host through the SDK's custom builtins.
//
// A module has no clock, so `time.now_ns` is imported (as OPA's modules import builtins
// they do not implement). Pass these to `loadPolicy(wasm, undefined, hostBuiltins())`.
// OPA fixes "now" for the whole of one query, so the value is held until the current
// synchronous evaluation has finished (the next microtask).

export type HostBuiltin = (...args: unknown[]) => unknown;

/** Builtins Airlock's host functions below provide. */
export const HOST_BUILTIN_NAMES = ['time.now_ns'] as const;

/**
 * Builtins the official SDK implements in JavaScript with the same meaning as OPA and that
 * Airlock's runtime leaves to it (YAML needs a YAML library, which the SDK ships).
 */
export const SDK_BUILTIN_NAMES = ['yaml.marshal', 'yaml.unmarshal', 'yaml.is_valid'] as const;

/** Every builtin a compiled module imports instead of computing; the planner lists those it calls in `externalBuiltins`. */
export const EXTERNAL_BUILTIN_NAMES: readonly string[] = [...HOST_BUILTIN_NAMES, ...SDK_BUILTIN_NAMES];

export function hostBuiltins(clock: () => number = Date.now): Record<string, HostBuiltin> {
  let cachedNowNs: number | undefined;
  return {
    'time.now_ns': () => {
      if (cachedNowNs === undefined) {
        cachedNowNs = clock() * 1_000_000;
        queueMicrotask(() => {
          cachedNowNs = undefined;
        });
      }
      return cachedNowNs;
    },
  };
}
