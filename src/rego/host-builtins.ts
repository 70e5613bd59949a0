// Builtins that a WebAssembly module cannot compute itself and imports from its host through the SDK's custom builtins.
//
// A module has no clock, so `time.now_ns` is imported (as OPA's modules import builtins
// they do not implement). Pass these to `loadPolicy(wasm, undefined, hostBuiltins())`.
// OPA fixes "now" for the whole of one query, so the value is held until the current
// synchronous evaluation has finished (the next microtask).

export type HostBuiltin = (...args: unknown[]) => unknown;

/** The names compiled modules may import from the host; the planner lists them in `externalBuiltins`. */
export const HOST_BUILTIN_NAMES = ['time.now_ns'] as const;

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
