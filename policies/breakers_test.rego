# Tests of the circuit-breaker guardrail.
package airlock.guardrails.breakers_test

import data.airlock.fixtures
import data.airlock.guardrails.breakers

with_breakers(b) := object.union(fixtures.input_for("ops-bot", "cluster.scale", {"replicas": 3}), {"budget": {"breakers": b}})

test_closed_breakers_pass if {
	count(breakers.review) == 0 with input as with_breakers({"agent:ops-bot": {"state": "closed", "reason": null}, "global": {"state": "half_open", "reason": null}})
}

test_open_breaker_goes_to_review if {
	msgs := breakers.review with input as with_breakers({"workflow:wf-test": {"state": "open", "reason": "loop: cluster.scale x5 in 30s"}})
	msgs == {"circuit breaker workflow:wf-test is open: loop: cluster.scale x5 in 30s"}
}

test_open_breaker_without_reason if {
	msgs := breakers.review with input as with_breakers({"agent:ops-bot": {"state": "open", "reason": null}})
	msgs == {"circuit breaker agent:ops-bot is open: no reason recorded"}
}

test_unknown_state_goes_to_review if {
	count(breakers.review) == 1 with input as with_breakers({"agent:ops-bot": {"state": "melted"}})
}

test_breaker_without_state_goes_to_review if {
	count(breakers.review) == 1 with input as with_breakers({"agent:ops-bot": {"reason": "?"}})
}
