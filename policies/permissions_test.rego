# Tests of tool permissions by role and workflow.
package airlock.guardrails.permissions_test

import data.airlock.fixtures
import data.airlock.guardrails.permissions

test_support_role_may_refund if {
	permissions.allowed with input as fixtures.input_for("support-bot", "payments.refund", {"orderId": "o-1", "amountUsd": 40})
}

test_analyst_may_not_refund if {
	inp := fixtures.input_for("analyst-bot", "payments.refund", {"orderId": "o-1", "amountUsd": 40})
	not permissions.allowed with input as inp
	msgs := permissions.deny with input as inp
	some msg in msgs
	contains(msg, "grants tool payments.refund")
}

test_unknown_agent_may_echo if {
	inp := fixtures.input_for("stranger", "echo", {"message": "hi"})
	permissions.allowed with input as inp
	count(permissions.deny) == 0 with input as inp
}

test_unknown_agent_may_not_use_other_tools if {
	inp := fixtures.input_for("stranger", "sql.query", {"query": "select 1"})
	not permissions.allowed with input as inp
	count(permissions.deny) == 1 with input as inp
}

test_unknown_tool_goes_to_review if {
	inp := fixtures.input_for("ops-bot", "cluster.destroy", {})
	not permissions.allowed with input as inp
	count(permissions.review) == 1 with input as inp
}

test_audit_workflow_is_read_only if {
	base := fixtures.input_for("ops-bot", "files.delete", {"path": "/data/shared/x"})
	inp := object.union(base, {"action": {"workflowId": "audit-2026"}})
	not permissions.allowed with input as inp
	msgs := permissions.deny with input as inp
	some msg in msgs
	contains(msg, "audit workflows are read-only")
}

test_audit_workflow_still_allows_reads if {
	base := fixtures.input_for("ops-bot", "files.read", {"path": "/data/shared/x"})
	permissions.allowed with input as object.union(base, {"action": {"workflowId": "audit-2026"}})
}

test_tool_name_must_match_registry if {
	base := fixtures.input_for("ops-bot", "files.read", {"path": "/data/shared/x"})
	inp := object.union(base, {"action": {"tool": "files.read "}})
	not permissions.allowed with input as inp
	count(permissions.deny) > 0 with input as inp
}
