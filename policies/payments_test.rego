# Tests of the payment and refund limits.
package airlock.guardrails.payments_test

import data.airlock.fixtures
import data.airlock.guardrails.payments

refund(args) := fixtures.input_for("support-bot", "payments.refund", args)

test_small_refund_passes if {
	inp := refund({"orderId": "o-1", "amountUsd": 40})
	count(payments.deny) == 0 with input as inp
	count(payments.review) == 0 with input as inp
}

test_refund_over_auto_limit_goes_to_review if {
	inp := refund({"orderId": "o-1", "amountUsd": 250.5})
	count(payments.deny) == 0 with input as inp
	count(payments.review) == 1 with input as inp
}

test_refund_over_hard_limit_is_denied if {
	msgs := payments.deny with input as refund({"orderId": "o-1", "amountUsd": 1000.01})
	some msg in msgs
	contains(msg, "hard limit")
}

test_negative_refund_is_denied if {
	count(payments.deny) == 1 with input as refund({"orderId": "o-1", "amountUsd": -5})
}

test_amount_as_string_is_denied if {
	`"amountUsd" must be a number` in payments.deny with input as refund({"orderId": "o-1", "amountUsd": "40"})
}

test_missing_order_is_denied if {
	count(payments.deny) == 1 with input as refund({"amountUsd": 10})
}

test_contradictory_amounts_are_denied if {
	count(payments.deny) == 1 with input as refund({"orderId": "o-1", "amountUsd": 10, "amountCents": 100000})
}

test_consistent_amounts_pass if {
	count(payments.deny) == 0 with input as refund({"orderId": "o-1", "amountUsd": 10, "amountCents": 1000})
}
