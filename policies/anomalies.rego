# Anomalies against history: a production run estimated above 3x its 30-day average cost goes to a human, as does a run with no average to compare.
package airlock.guardrails.anomalies

profile := data.anomalies.tools[input.action.tool]

job := input.action.args[profile.keyArg]

average := profile.averages30dUsd[job]

cost := input.action.estimate.costUsd

review contains msg if {
	profile
	not average
	msg := sprintf("%v %v has no 30-day average to compare with: a human must judge it", [input.action.tool, job_label])
}

review contains msg if {
	is_number(average)
	not is_number(cost)
	msg := sprintf("%v %v has no cost estimate to compare with its 30-day average: a human must judge it", [input.action.tool, job_label])
}

review contains msg if {
	is_number(average)
	is_number(cost)
	cost > data.anomalies.factor * average
	msg := sprintf("%v %v is estimated at %v USD, over %vx its 30-day average of %v USD", [input.action.tool, job_label, cost, data.anomalies.factor, average])
}

job_label := job if is_string(job)
else := sprintf("(no %v)", [profile.keyArg])
