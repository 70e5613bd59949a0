# Secrets and personal data in arguments: keys, tokens and private keys are denied; card numbers, SSNs and unexpected e-mail addresses go to a human.
package airlock.guardrails.secrets

tool_name := input.action.tool

# Every pattern is matched against the arguments as one JSON text, so nested values are covered.
args_text := json.marshal(input.action.args)

# One pass with every pattern at once; the patterns one by one only when something matched.
any_pattern := concat("|", [concat("", ["(?:", p.regex, ")"]) | some p in data.secrets.patterns])

suspicious if regex.match(any_pattern, args_text)

found contains pattern if {
	suspicious
	some pattern in data.secrets.patterns
	regex.match(pattern.regex, args_text)
}

deny contains msg if {
	some pattern in found
	pattern.kind == "secret"
	msg := sprintf("arguments contain a secret (%v): secrets must never be passed to tools", [pattern.name])
}

review contains msg if {
	some pattern in found
	pattern.kind == "pii"
	msg := sprintf("arguments contain what looks like a %v: a human must approve sharing it", [pattern.name])
}

review contains msg if {
	not tool_name in data.secrets.emailExpectedTools
	regex.match(data.secrets.emailRegex, args_text)
	msg := sprintf("arguments of %v contain an e-mail address: a human must approve sharing it", [tool_name])
}
