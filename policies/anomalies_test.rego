# Tests of the anomaly guardrail.
package airlock.guardrails.anomalies_test

import data.airlock.fixtures
import data.airlock.guardrails.anomalies

run(job, cost) := object.union(
	fixtures.input_for("ops-bot", "production.run", {"job": job}),
	{"action": {"estimate": {"costUsd": cost}}},
)

test_usual_run_passes if {
	count(anomalies.review) == 0 with input as run("nightly-etl", 30)
}

test_run_over_three_times_average_goes_to_review if {
	msgs := anomalies.review with input as run("nightly-etl", 36.01)
	some msg in msgs
	contains(msg, "over 3x its 30-day average of 12 USD")
}

test_exactly_three_times_passes if {
	count(anomalies.review) == 0 with input as run("weekly-report", 10.5)
}

test_unknown_job_goes_to_review if {
	count(anomalies.review) == 1 with input as run("adhoc-backfill", 1)
}

test_missing_job_goes_to_review if {
	count(anomalies.review) == 1 with input as fixtures.input_for("ops-bot", "production.run", {})
}

test_other_tools_are_not_checked if {
	count(anomalies.review) == 0 with input as fixtures.input_for("ops-bot", "costly", {"job": "nightly-etl"})
}
