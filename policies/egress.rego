# URL egress allowlist: `http.fetch` reaches only URLs with an allowed scheme whose host is allow-listed by name (or *.suffix) or lies in an allowed CIDR range.
package airlock.guardrails.egress

applies if input.action.tool in data.arguments.egress.tools

url := input.action.args.url

cfg := data.arguments.egress

# "https://user@Host:8443/path?q#f" → scheme "https", authority "user@Host:8443", host "host".
scheme_and_rest := split(url, "://")

scheme := lower(scheme_and_rest[0]) if count(scheme_and_rest) > 1

rest := substring(url, count(scheme_and_rest[0]) + 3, -1) if count(scheme_and_rest) > 1

authority := split(split(split(rest, "/")[0], "?")[0], "#")[0]

host := lower(split(authority, ":")[0])

host_allowed if host in cfg.hosts

host_allowed if {
	some pattern in cfg.hosts
	startswith(pattern, "*.")
	endswith(host, substring(pattern, 1, -1))
}

host_allowed if {
	regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`, host)
	some cidr in cfg.cidrs
	net.cidr_contains(cidr, host)
}

deny contains `http.fetch needs a string argument "url"` if {
	applies
	not is_string(url)
}

deny contains msg if {
	applies
	is_string(url)
	not scheme
	msg := sprintf("%v is not an absolute URL", [url])
}

deny contains msg if {
	applies
	not scheme in cfg.schemes
	msg := sprintf("scheme %v is not allowed (allowed: %v)", [scheme, concat(", ", cfg.schemes)])
}

deny contains msg if {
	applies
	regex.match(`[\s\x00-\x1f\x7f\\]`, url)
	msg := "the URL contains whitespace, a control character or a backslash"
}

deny contains msg if {
	applies
	contains(authority, "@")
	msg := sprintf("credentials in the URL authority %v are not allowed", [authority])
}

deny contains msg if {
	applies
	scheme
	not host_allowed
	msg := sprintf("host %v is not on the egress allowlist", [host])
}
