# Payment and refund limits: a refund needs an order and a positive amount in USD; above the auto-approve limit a human decides, above the hard limit never.
package airlock.guardrails.payments

applies if input.action.tool in data.arguments.payments.tools

args := input.action.args

amount := args.amountUsd

limits := data.arguments.payments

deny contains `a refund needs a non-empty string "orderId"` if {
	applies
	not valid_order_id
}

valid_order_id if {
	is_string(args.orderId)
	trim_space(args.orderId) != ""
}

deny contains `"amountUsd" must be a number` if {
	applies
	not is_number(amount)
}

deny contains msg if {
	applies
	is_number(amount)
	amount <= 0
	msg := sprintf("refund amount %v must be positive", [amount])
}

deny contains msg if {
	applies
	is_number(amount)
	amount > limits.hardMaxUsd
	msg := sprintf("refund of %v USD is over the hard limit of %v USD", [amount, limits.hardMaxUsd])
}

# Two amounts that disagree: the tool cannot know which one was meant.
deny contains msg if {
	applies
	is_number(amount)
	cents := args.amountCents
	cents != amount * 100
	msg := sprintf("amountUsd %v and amountCents %v disagree", [amount, cents])
}

review contains msg if {
	applies
	is_number(amount)
	amount > limits.autoApproveMaxUsd
	amount <= limits.hardMaxUsd
	msg := sprintf("refund of %v USD is over the auto-approve limit of %v USD: a human must approve", [amount, limits.autoApproveMaxUsd])
}
