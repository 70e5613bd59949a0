# Tests of the combined decision: deny beats review beats allow, and nothing is allowed without a grant.
package airlock.decision_test

import data.airlock
import data.airlock.fixtures

test_echo_is_allowed_for_an_unknown_agent if {
	d := airlock.decision with input as fixtures.input_for("curl-demo", "echo", {"message": "hello"})
	d.outcome == "allow"
	d.reasons == ["tool echo is granted to agent curl-demo"]
}

test_allow_carries_obligations if {
	d := airlock.decision with input as fixtures.input_for("support-bot", "payments.refund", {"orderId": "o-1", "amountUsd": 40})
	d.outcome == "allow"
	d.max_tokens == 4000
	d.cost_ceiling_usd == 1
	d.on_budget_exceeded == "deny"
}

test_unknown_tool_goes_to_review if {
	d := airlock.decision with input as fixtures.input_for("ops-bot", "cluster.nuke", {})
	d.outcome == "review"
	d.reasons == ["unknown tool cluster.nuke: a human must decide"]
}

test_missing_grant_is_denied if {
	d := airlock.decision with input as fixtures.input_for("analyst-bot", "files.delete", {"path": "/data/shared/x"})
	d.outcome == "deny"
}

test_deny_beats_review_and_lists_every_reason if {
	# Over the hard refund limit (deny) and an e-mail address in the arguments (review as personal data).
	args := {"orderId": "o-1", "amountUsd": 5000, "note": "x@evil.io"}
	d := airlock.decision with input as fixtures.input_for("support-bot", "payments.refund", args)
	d.outcome == "deny"
	count(d.reasons) == 1
	contains(d.reasons[0], "hard limit")
}

test_review_when_nothing_denies if {
	d := airlock.decision with input as fixtures.input_for("support-bot", "payments.refund", {"orderId": "o-1", "amountUsd": 500})
	d.outcome == "review"
	count(d.reasons) == 1
}

test_reasons_are_sorted if {
	d := airlock.decision with input as fixtures.input_for("stranger", "payments.refund", {"amountUsd": -1})
	d.outcome == "deny"
	count(d.reasons) == 3
	d.reasons == sort(d.reasons)
}

test_grants_come_from_data if {
	inp := fixtures.input_for("ops-bot", "costly", {"usd": 0.1})
	d := airlock.decision with input as inp with data.permissions.roles.ops as ["echo"] with data.agents["ops-bot"].roles as []
	d.outcome == "deny"
	d2 := airlock.decision with input as object.union(inp, {"agent": {"known": false}}) with data.permissions.everyone as ["echo", "costly"]
	d2.outcome == "allow"
}

test_open_breaker_turns_allow_into_review if {
	inp := object.union(
		fixtures.input_for("ops-bot", "cluster.scale", {"cluster": "web", "replicas": 3}),
		{"budget": {"breakers": {"agent:ops-bot": {"state": "open", "reason": "velocity"}}}},
	)
	d := airlock.decision with input as inp
	d.outcome == "review"
	d.reasons == ["circuit breaker agent:ops-bot is open: velocity"]
}

test_malformed_registry_entry_is_never_allowed if {
	inp := object.union(fixtures.input_for("ops-bot", "costly", {"usd": 0.1}), {"tool": {"known": "yes"}})
	d := airlock.decision with input as inp
	d.outcome == "review"
}
