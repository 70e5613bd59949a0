# Tests of the argument shape limits.
package airlock.guardrails.args_shape_test

import data.airlock.fixtures
import data.airlock.guardrails.args_shape

test_flat_object_passes if {
	count(args_shape.deny) == 0 with input as fixtures.input_for("support-bot", "echo", {"message": "hi", "n": [1, 2]})
}

test_array_arguments_are_denied if {
	count(args_shape.deny) == 1 with input as fixtures.input_for("support-bot", "echo", ["hi"])
}

test_string_arguments_are_denied if {
	count(args_shape.deny) == 1 with input as fixtures.input_for("support-bot", "echo", "hi")
}

test_oversized_arguments_are_denied if {
	inp := fixtures.input_for("support-bot", "echo", {"message": "0123456789abcdef"})
	msgs := args_shape.deny with input as inp with data.arguments.maxArgsBytes as 10
	some msg in msgs
	contains(msg, "over the limit of 10")
}

test_deep_nesting_is_denied if {
	nested := {"a": {"b": {"c": {"d": {"e": "deep"}}}}}
	msgs := args_shape.deny with input as fixtures.input_for("support-bot", "echo", nested) with data.arguments.maxDepth as 4
	some msg in msgs
	contains(msg, "nested 5 levels deep")
}

test_nesting_at_the_limit_passes if {
	nested := {"a": {"b": {"c": {"d": "ok"}}}}
	count(args_shape.deny) == 0 with input as fixtures.input_for("support-bot", "echo", nested) with data.arguments.maxDepth as 4
}
