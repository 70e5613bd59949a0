// Typed errors of the policy authoring commands (test, eval, check), each with a stable code.

export type AuthoringErrorCode =
  | 'policy_dir_not_found'
  | 'input_file_unreadable'
  | 'data_file_unreadable'
  | 'bad_reference'
  | 'bad_test_filter';

export class PolicyAuthoringError extends Error {
  readonly code: AuthoringErrorCode;

  constructor(code: AuthoringErrorCode, message: string) {
    super(message);
    this.name = 'PolicyAuthoringError';
    this.code = code;
  }
}
