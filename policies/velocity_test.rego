# Tests of the velocity and loop limits.
package airlock.guardrails.velocity_test

import data.airlock.fixtures
import data.airlock.guardrails.velocity

with_history(tool, history) := object.union(
	fixtures.input_for("ops-bot", tool, {"n": 3}),
	{"action": {"argsHash": "h-same"}, "history": history},
)

repeat(tool, hash, n, cost) := [fixtures.past(tool, hash, i, cost) | some i in numbers.range(1, n)]

test_quiet_workflow_passes if {
	count(velocity.review) == 0 with input as with_history("costly", repeat("costly", "h-other", 3, 0.1))
}

test_loop_goes_to_review if {
	msgs := velocity.review with input as with_history("costly", repeat("costly", "h-same", 5, 0.01))
	some msg in msgs
	contains(msg, "looks like a loop")
}

test_same_call_long_ago_is_no_loop if {
	old := [fixtures.past("costly", "h-same", 100 + i, 0.01) | some i in numbers.range(1, 5)]
	count(velocity.review) == 0 with input as with_history("costly", old)
}

test_spend_velocity_goes_to_review if {
	msgs := velocity.review with input as with_history("costly", repeat("sleep", "h-x", 5, 4.5))
	some msg in msgs
	contains(msg, "USD in the last 60 s")
}

test_action_count_goes_to_review if {
	count(velocity.review) == 1 with input as with_history("costly", repeat("sleep", "h-x", 40, 0))
}

test_same_tool_repetition_goes_to_review if {
	history := [fixtures.past("costly", sprintf("h-%v", [i]), i, 0) | some i in numbers.range(1, 20)]
	count(velocity.review) == 1 with input as with_history("costly", history)
}

test_echo_is_exempt if {
	count(velocity.review) == 0 with input as with_history("echo", repeat("echo", "h-same", 45, 0))
}

test_args_hash_falls_back_to_hash_of_args if {
	inp := fixtures.input_for("ops-bot", "costly", {"n": 3})
	h := velocity.args_hash with input as inp
	h == crypto.sha256(`{"n":3}`)
}
