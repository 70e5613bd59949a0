# Circuit breakers: while a breaker of any scope of the action is open (or in an unknown state), every action goes to a human.
package airlock.guardrails.breakers

passing_states := {"closed", "half_open", "half-open"}

review contains msg if {
	some scope, breaker in input.budget.breakers
	breaker.state == "open"
	msg := sprintf("circuit breaker %v is open: %v", [scope, reason(breaker)])
}

review contains msg if {
	some scope, breaker in input.budget.breakers
	state := object.get(breaker, "state", "missing")
	not state in passing_states
	state != "open"
	msg := sprintf("circuit breaker %v is in unknown state %v: a human must decide", [scope, state])
}

reason(breaker) := breaker.reason if is_string(breaker.reason)
else := "no reason recorded"
