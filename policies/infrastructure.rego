# Infrastructure ceilings: scaling past a hard node maximum is denied, and above a monthly cost impact (or down to zero) a human decides.
package airlock.guardrails.infrastructure

cfg := data.infrastructure

applies if input.action.tool in cfg.scaleTools

args := input.action.args

# The demo tool calls the count `replicas`; other scaling tools may call it `nodes`.
nodes := object.get(args, "replicas", object.get(args, "nodes", null))

whole_number(n) if {
	is_number(n)
	floor(n) == n
}

node_price := p if {
	p := cfg.nodeMonthlyUsd[args.nodeType]
} else := cfg.nodeMonthlyUsd["default"]

monthly_usd := nodes * node_price

deny contains `scaling needs a whole, non-negative node count in "replicas" or "nodes"` if {
	applies
	not valid_count
}

valid_count if {
	whole_number(nodes)
	nodes >= 0
}

deny contains msg if {
	applies
	valid_count
	nodes > cfg.maxNodes
	msg := sprintf("scaling to %v nodes is over the hard maximum of %v", [nodes, cfg.maxNodes])
}

review contains msg if {
	applies
	valid_count
	nodes <= cfg.maxNodes
	monthly_usd > cfg.reviewAboveMonthlyUsd
	msg := sprintf("scaling to %v nodes costs about %v USD a month, over %v USD: a human must approve it", [nodes, monthly_usd, cfg.reviewAboveMonthlyUsd])
}

review contains "scaling to 0 nodes takes the service down: a human must approve it" if {
	applies
	nodes == 0
}
