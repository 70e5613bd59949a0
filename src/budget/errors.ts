// Typed errors of the budget module, each with a stable code the API maps to an HTTP status.

export type BudgetErrorCode = 'budget_invalid_input' | 'budget_invalid_scope' | 'budget_unavailable' | 'budget_config_invalid';

export class BudgetError extends Error {
  constructor(
    readonly code: BudgetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A caller passed an amount, id or cap that cannot be used. */
export class BudgetInputError extends BudgetError {
  constructor(message: string) {
    super('budget_invalid_input', message);
  }
}

/** A scope name is not `workflow:<id>`, `agent:<id>`, `tenant:<id>` or `global`. */
export class InvalidScopeError extends BudgetError {
  constructor(readonly scope: string) {
    super('budget_invalid_scope', `invalid budget scope "${scope}": expected workflow:<id>, agent:<id>, tenant:<id> or global`);
  }
}

/** Redis could not be read or written: budget state is unknown, so nothing may execute (fail closed). */
export class BudgetUnavailableError extends BudgetError {
  constructor(message: string, cause: unknown) {
    super('budget_unavailable', message, { cause });
  }
}

/** `data.budgets` / `data.breakers` in the policy data do not have the documented shape. */
export class BudgetConfigError extends BudgetError {
  constructor(message: string) {
    super('budget_config_invalid', message);
  }
}
