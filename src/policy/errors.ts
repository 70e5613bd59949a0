// Typed errors of policy loading: stable codes that logs, metrics and /readyz report.
export type PolicyErrorCode = 'policy_compile_failed' | 'policy_load_failed' | 'policy_bundle_invalid' | 'policy_not_found';

export class PolicyLoadError extends Error {
  constructor(readonly code: PolicyErrorCode, message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'PolicyLoadError';
  }
}
