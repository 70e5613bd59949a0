# Tests of the cost ceilings and near-cap escalation.
package airlock.guardrails.cost_test

import data.airlock.fixtures
import data.airlock.guardrails.cost

with_estimate(tool, estimate) := object.union(
	fixtures.input_for("ops-bot", tool, {}),
	{"action": {"estimate": estimate}},
)

with_workflow_spent(tool, spent) := object.union(
	fixtures.input_for("ops-bot", tool, {}),
	{"budget": {"scopes": {"workflow:wf-test": fixtures.scope("workflow:wf-test", "none", 10, spent)}}},
)

test_cheap_action_passes if {
	inp := with_estimate("costly", {"costUsd": 0.5, "tokens": 1000})
	count(cost.deny) == 0 with input as inp
	count(cost.review) == 0 with input as inp
}

test_action_over_ceiling_is_denied if {
	msgs := cost.deny with input as with_estimate("costly", {"costUsd": 5.01, "tokens": 10})
	some msg in msgs
	contains(msg, "per-action ceiling of 5 USD")
}

test_default_ceiling_applies_to_unlisted_tools if {
	count(cost.deny) == 1 with input as with_estimate("sleep", {"costUsd": 1.5, "tokens": 10})
}

test_negative_and_string_estimates_are_denied if {
	count(cost.deny) == 1 with input as with_estimate("costly", {"costUsd": -1, "tokens": 10})
	count(cost.deny) == 1 with input as with_estimate("costly", {"costUsd": "0.5", "tokens": 10})
}

test_token_limit_is_denied if {
	count(cost.deny) == 1 with input as with_estimate("costly", {"costUsd": 0.1, "tokens": 4001})
}

test_near_workflow_cap_goes_to_review if {
	msgs := cost.review with input as with_workflow_spent("costly", 7.995)
	some msg in msgs
	contains(msg, "workflow:wf-test would be 80% used")
}

test_below_threshold_passes if {
	count(cost.review) == 0 with input as with_workflow_spent("costly", 7.5)
}

test_echo_is_exempt_from_escalation if {
	count(cost.review) == 0 with input as with_workflow_spent("echo", 9.9)
}

test_unknown_budget_state_goes_to_review if {
	broken := {"workflow:wf-test": {"scope": "workflow:wf-test", "capUsd": null, "spentUsd": 0, "reservedUsd": 0, "window": "none"}}
	count(cost.review) == 1 with input as object.union(fixtures.input_for("ops-bot", "costly", {}), {"budget": {"scopes": broken}})
}

test_obligations_follow_the_tool if {
	ob := cost.obligations with input as fixtures.input_for("ops-bot", "production.run", {})
	ob == {"cost_ceiling_usd": 50, "max_tokens": 16000, "on_budget_exceeded": "review"}
}

test_default_obligations if {
	ob := cost.obligations with input as fixtures.input_for("ops-bot", "echo", {})
	ob == {"cost_ceiling_usd": 1, "max_tokens": 4000, "on_budget_exceeded": "deny"}
}
