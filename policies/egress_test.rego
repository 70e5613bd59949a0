# Tests of the URL egress allowlist.
package airlock.guardrails.egress_test

import data.airlock.fixtures
import data.airlock.guardrails.egress

fetch(url) := fixtures.input_for("analyst-bot", "http.fetch", {"url": url})

test_allowed_host_passes if {
	count(egress.deny) == 0 with input as fetch("https://api.github.com/repos/x/y?tab=1")
}

test_wildcard_subdomain_passes if {
	count(egress.deny) == 0 with input as fetch("HTTPS://Reports.ACME.com:8443/q#top")
}

test_address_in_allowed_cidr_passes if {
	count(egress.deny) == 0 with input as fetch("https://10.20.3.4/internal")
}

test_address_outside_cidr_is_denied if {
	msgs := egress.deny with input as fetch("https://169.254.169.254/latest/meta-data")
	some msg in msgs
	contains(msg, "169.254.169.254")
}

test_unlisted_host_is_denied if {
	count(egress.deny) == 1 with input as fetch("https://evil.example.net/")
}

test_suffix_trick_is_denied if {
	count(egress.deny) > 0 with input as fetch("https://evilacme.com/")
	count(egress.deny) > 0 with input as fetch("https://api.github.com.evil.io/")
}

test_userinfo_trick_is_denied if {
	count(egress.deny) > 0 with input as fetch("https://api.github.com@evil.io/")
}

test_plain_http_is_denied if {
	count(egress.deny) == 1 with input as fetch("http://api.github.com/")
}

test_relative_or_missing_url_is_denied if {
	count(egress.deny) > 0 with input as fetch("/etc/passwd")
	count(egress.deny) > 0 with input as fixtures.input_for("analyst-bot", "http.fetch", {})
}
