# Tests of the secrets and personal-data guardrail.
package airlock.guardrails.secrets_test

import data.airlock.fixtures
import data.airlock.guardrails.secrets

echo(args) := fixtures.input_for("support-bot", "echo", args)

test_plain_text_passes if {
	inp := echo({"message": "order o-1 shipped on 2026-11-25, ref 1234-56"})
	count(secrets.deny) == 0 with input as inp
	count(secrets.review) == 0 with input as inp
}

test_aws_key_is_denied if {
	msgs := secrets.deny with input as echo({"config": {"key": "AKIAIOSFODNN7EXAMPLE"}})
	some msg in msgs
	contains(msg, "AWS access key id")
}

test_private_key_is_denied if {
	count(secrets.deny) == 1 with input as echo({"pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----"})
}

test_github_token_in_a_list_is_denied if {
	count(secrets.deny) == 1 with input as echo({"notes": ["fine", "ghp_0123456789abcdefghijABCDEFGHIJ0123456789"]})
}

test_card_number_goes_to_review if {
	count(secrets.review) == 1 with input as echo({"message": "card 4111 1111 1111 1111 please"})
}

test_ssn_goes_to_review if {
	count(secrets.review) == 1 with input as echo({"message": "SSN 123-45-6789"})
}

test_email_where_unexpected_goes_to_review if {
	count(secrets.review) == 1 with input as echo({"message": "write to jane@acme.com"})
}

test_email_where_expected_passes if {
	count(secrets.review) == 0 with input as fixtures.input_for("support-bot", "email.send", {"to": "jane@acme.com"})
}
