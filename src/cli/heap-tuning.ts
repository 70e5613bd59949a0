// V8 heap settings for the process that serves the API, applied before it takes any traffic.
import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring in this process.
 *
 * While long-polls are open (each `?wait=` request lives for its action's whole trip), V8 sees the objects of the HTTP
 * path survive young collections and decides to allocate them in the old generation from then on. When the traffic is
 * short checks again, those objects die young but sit in old space pointing at young ones, which keeps ≈ 1.6 MB alive
 * through every young collection (measured with --trace-gc-nvp at 500 checks/s after a burst of long-polls; ≈ 0.11 MB
 * without pretenuring, and without the long-polls) and makes each collection a 3–5 ms pause. Measured with
 * `npm run bench:e2e -- --actions 3000`, three pairs of runs: /v1/check p99 3.96–4.12 ms without pretenuring against
 * 5.50–12.48 ms with it, end-to-end throughput unchanged within run-to-run noise.
 *
 * The flag is read whenever V8 makes a pretenuring decision, so setting it at start-up (before any traffic) covers the
 * process's whole life; V8 does not freeze flags after initialisation in Node 20 (`--no-freeze-flags-after-init`).
 */
export function disableAllocationSitePretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
