# Tests of the file path guardrail.
package airlock.guardrails.files_test

import data.airlock.fixtures
import data.airlock.guardrails.files

read(path) := fixtures.input_for("ops-bot", "files.read", {"path": path})

test_allowed_path_passes if {
	count(files.deny) == 0 with input as read("/data/shared/reports/2026-11.csv")
}

test_traversal_is_denied if {
	msgs := files.deny with input as read("/data/shared/../../etc/passwd")
	some msg in msgs
	contains(msg, `".."`)
}

test_encoded_traversal_is_denied if {
	count(files.deny) > 0 with input as read("/data/shared/%2E%2E/%2e%2e/etc/shadow")
}

test_path_outside_prefixes_is_denied if {
	count(files.deny) == 1 with input as read("/etc/passwd")
}

test_prefix_lookalike_is_denied if {
	count(files.deny) == 1 with input as read("/data/shared-evil/x")
}

test_backslash_and_tilde_are_denied if {
	count(files.deny) > 0 with input as read(`/data/shared/..\..\secret`)
	count(files.deny) > 0 with input as read("~/.ssh/id_rsa")
}

test_missing_path_is_denied if {
	count(files.deny) == 1 with input as fixtures.input_for("ops-bot", "files.delete", {"file": "/data/shared/x"})
}
