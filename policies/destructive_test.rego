# Tests of the destructive-operations guardrail.
package airlock.guardrails.destructive_test

import data.airlock.fixtures
import data.airlock.guardrails.destructive

test_file_delete_goes_to_review if {
	count(destructive.review) > 0 with input as fixtures.input_for("ops-bot", "files.delete", {"path": "/data/shared/x"})
}

test_read_is_not_destructive if {
	count(destructive.review) == 0 with input as fixtures.input_for("ops-bot", "files.read", {"path": "/data/shared/x"})
}

test_critical_risk_goes_to_review if {
	base := fixtures.input_for("ops-bot", "costly", {})
	msgs := destructive.review with input as object.union(base, {"tool": {"risk": "critical"}})
	some msg in msgs
	contains(msg, "critical risk")
}

test_irreversible_tag_goes_to_review if {
	base := fixtures.input_for("ops-bot", "costly", {})
	count(destructive.review) == 1 with input as object.union(base, {"tool": {"tags": ["billing", "irreversible"]}})
}

test_force_flag_goes_to_review if {
	count(destructive.review) == 1 with input as fixtures.input_for("ops-bot", "files.read", {"path": "/data/shared/x", "force": true})
}

test_force_flag_false_is_fine if {
	count(destructive.review) == 0 with input as fixtures.input_for("ops-bot", "files.read", {"path": "/data/shared/x", "force": false})
}
