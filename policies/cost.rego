# Cost ceilings and near-cap escalation: one action may not cost more than its ceiling, and near a workflow or daily cap a human decides.
package airlock.guardrails.cost

cfg := data.cost

tool_name := input.action.tool

estimate := input.action.estimate

# An action without an estimate counts as zero here; the budget reservation still charges what it really costs.
cost_usd := estimate.costUsd if is_number(estimate.costUsd)
else := 0

tokens := estimate.tokens if is_number(estimate.tokens)
else := 0

ceiling_usd := c if {
	c := cfg.ceilingsUsd[tool_name]
} else := cfg.defaultCeilingUsd

max_tokens := m if {
	m := cfg.maxTokens[tool_name]
} else := cfg.defaultMaxTokens

on_budget_exceeded := v if {
	v := cfg.onBudgetExceeded[tool_name]
} else := "deny"

# Obligations every decision carries (docs/policy-contract.md).
obligations := {
	"cost_ceiling_usd": ceiling_usd,
	"max_tokens": max_tokens,
	"on_budget_exceeded": on_budget_exceeded,
}

deny contains msg if {
	some field in ["costUsd", "tokens"]
	value := estimate[field]
	value != null
	not is_number(value)
	msg := sprintf("estimate.%v must be a number", [field])
}

deny contains msg if {
	cost_usd < 0
	msg := sprintf("estimate.costUsd %v is negative", [cost_usd])
}

deny contains msg if {
	tokens < 0
	msg := sprintf("estimate.tokens %v is negative", [tokens])
}

deny contains msg if {
	cost_usd > ceiling_usd
	msg := sprintf("estimated cost %v USD is over the per-action ceiling of %v USD for %v", [cost_usd, ceiling_usd, tool_name])
}

deny contains msg if {
	tokens > max_tokens
	msg := sprintf("estimated %v tokens are over the per-action limit of %v for %v", [tokens, max_tokens, tool_name])
}

# Scopes near whose cap a human takes over: by kind (scope name prefix) or by window.
escalating_scopes[name] := scope if {
	some name, scope in input.budget.scopes
	some kind in cfg.escalateScopeKinds
	startswith(name, concat("", [kind, ":"]))
}

escalating_scopes[name] := scope if {
	some name, scope in input.budget.scopes
	scope.window in cfg.escalateWindows
}

review contains msg if {
	not tool_name in cfg.escalationExemptTools
	some name, scope in escalating_scopes
	scope.capUsd > 0
	used := ((scope.spentUsd + scope.reservedUsd) + cost_usd) / scope.capUsd
	used >= cfg.reviewAtFractionUsed
	msg := sprintf("budget %v would be %v%% used (a human decides from %v%%)", [name, round(used * 100), round(cfg.reviewAtFractionUsed * 100)])
}

review contains msg if {
	not tool_name in cfg.escalationExemptTools
	some name, scope in escalating_scopes
	scope.capTokens > 0
	used := ((scope.spentTokens + scope.reservedTokens) + tokens) / scope.capTokens
	used >= cfg.reviewAtFractionUsed
	msg := sprintf("token budget %v would be %v%% used (a human decides from %v%%)", [name, round(used * 100), round(cfg.reviewAtFractionUsed * 100)])
}

# Budget state that is not numbers is unknown: a human decides (fail closed).
review contains msg if {
	some name, scope in input.budget.scopes
	some field in ["capUsd", "spentUsd", "reservedUsd"]
	not is_number(scope[field])
	msg := sprintf("budget %v has no usable %v: budget state unknown", [name, field])
}
