# File paths without traversal: file tools touch only paths under an allowed prefix, with no "..", ".", "~", backslash, encoded separator or control character.
package airlock.guardrails.files

applies if input.action.tool in data.arguments.files.tools

path := input.action.args.path

deny contains `file tools need a string argument "path"` if {
	applies
	not is_string(path)
}

deny contains msg if {
	applies
	some problem in problems
	msg := sprintf("path %v is refused: %v", [path, problem])
}

problems contains `it has a ".." or "." segment` if regex.match(`(^|/)\.\.?(/|$)`, path)

problems contains "it contains a backslash" if contains(path, `\`)

problems contains "it contains a URL-encoded dot, slash or backslash" if regex.match(`(?i)%(2e|2f|5c|00)`, path)

problems contains "it contains a control character" if regex.match(`[\x00-\x1f\x7f]`, path)

problems contains "it starts with ~" if startswith(path, "~")

problems contains "it contains an empty segment" if contains(path, "//")

problems contains msg if {
	is_string(path)
	not under_allowed_prefix
	msg := sprintf("it is outside the allowed directories (%v)", [concat(", ", data.arguments.files.allowedPrefixes)])
}

under_allowed_prefix if {
	some prefix in data.arguments.files.allowedPrefixes
	startswith(path, prefix)
}
