# Secrets and personal data in arguments: keys, tokens and private keys are denied; card numbers, SSNs and unexpected e-mail addresses go to a human.
package airlock.guardrails.secrets

tool_name := input.action.tool

# Every pattern is matched against the arguments as one JSON text, so nested values are covered.
args_text := json.marshal(input.action.args)

found contains pattern if {
	some pattern in data.secrets.patterns
	regex.match(pattern.regex, args_text)
}

deny contains msg if {
	some pattern in found
	pattern.kind == "secret"
	msg := sprintf("arguments contain a %v: secrets must never be passed to tools", [pattern.name])
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
