# Allowed e-mail domains: `email.send` writes only to well-formed addresses in data.arguments.email.allowedDomains, within a recipient limit.
package airlock.guardrails.email

applies if input.action.tool in data.arguments.email.tools

args := input.action.args

cfg := data.arguments.email

recipient_fields := ["to", "cc", "bcc"]

# Every recipient, whether a field holds one address or a list of them.
recipients contains r if {
	some field in recipient_fields
	r := args[field]
	is_string(r)
}

recipients contains r if {
	some field in recipient_fields
	is_array(args[field])
	some r in args[field]
}

has_recipient if {
	is_string(args.to)
	trim_space(args.to) != ""
}

has_recipient if {
	is_array(args.to)
	count(args.to) > 0
}

allowed_address(r) if {
	is_string(r)
	parts := split(lower(trim_space(r)), "@")
	count(parts) == 2
	regex.match(`^[a-z0-9._%+-]+$`, parts[0])
	parts[1] in cfg.allowedDomains
}

deny contains `email.send needs at least one recipient in "to"` if {
	applies
	not has_recipient
}

deny contains msg if {
	applies
	some field in recipient_fields
	value := args[field]
	not is_string(value)
	not is_array(value)
	msg := sprintf("%v must be an address or a list of addresses", [field])
}

deny contains msg if {
	applies
	some r in recipients
	not allowed_address(r)
	msg := sprintf("recipient %v is not an address in an allowed domain (%v)", [r, concat(", ", cfg.allowedDomains)])
}

deny contains msg if {
	applies
	count(recipients) > cfg.maxRecipients
	msg := sprintf("%v recipients, over the limit of %v", [count(recipients), cfg.maxRecipients])
}
