# Tests of the allowed e-mail domains guardrail.
package airlock.guardrails.email_test

import data.airlock.fixtures
import data.airlock.guardrails.email

mail(args) := fixtures.input_for("support-bot", "email.send", args)

test_allowed_domain_passes if {
	count(email.deny) == 0 with input as mail({"to": "Jane.Doe@ACME.com", "subject": "hi", "body": "b"})
}

test_list_of_allowed_recipients_passes if {
	count(email.deny) == 0 with input as mail({"to": ["a@acme.com", "b@example.com"], "cc": "c@acme.example"})
}

test_foreign_domain_is_denied if {
	msgs := email.deny with input as mail({"to": ["a@acme.com", "x@evil.io"]})
	some msg in msgs
	contains(msg, "x@evil.io")
}

test_lookalike_domain_is_denied if {
	# Cyrillic "а" in place of the Latin "a".
	count(email.deny) == 1 with input as mail({"to": "bob@\u0430cme.com"})
}

test_display_name_form_is_denied if {
	count(email.deny) > 0 with input as mail({"to": "Bob <bob@acme.com>"})
}

test_missing_recipient_is_denied if {
	count(email.deny) > 0 with input as mail({"subject": "no recipient"})
}

test_bcc_to_outsider_is_denied if {
	count(email.deny) == 1 with input as mail({"to": "a@acme.com", "bcc": "leak@gmail.com"})
}

test_too_many_recipients_are_denied if {
	count(email.deny) == 1 with input as mail({"to": ["a@acme.com", "b@acme.com", "c@acme.com"]}) with data.arguments.email.maxRecipients as 2
}
