# Velocity and loop limits from input.history: too many actions or too much spend in a window, or the same call repeated, goes to a human.
package airlock.guardrails.velocity

cfg := data.velocity

tool_name := input.action.tool

applies if not tool_name in cfg.exemptTools

# History entries (newest first, same workflow) within the last `seconds` before now.
recent(seconds) := [h |
	some h in input.history
	is_number(h.at_ns)
	input.now_ns - h.at_ns <= seconds * 1000000000
]

# The pipeline may pass the hash of the canonical arguments; otherwise hash them here.
args_hash := input.action.argsHash if is_string(input.action.argsHash)
else := crypto.sha256(json.marshal(input.action.args))

review contains msg if {
	applies
	n := count(recent(cfg.windowSeconds))
	n >= cfg.maxActionsPerWindow
	msg := sprintf("%v actions of this workflow in the last %v s (limit %v): a human must look", [n, cfg.windowSeconds, cfg.maxActionsPerWindow])
}

review contains msg if {
	applies
	spent := sum([c | some h in recent(cfg.windowSeconds); c := h.costUsd; is_number(c)])
	spent >= cfg.maxSpendUsdPerWindow
	msg := sprintf("this workflow spent %v USD in the last %v s (limit %v USD): a human must look", [spent, cfg.windowSeconds, cfg.maxSpendUsdPerWindow])
}

review contains msg if {
	applies
	same := [h | some h in recent(cfg.loopWindowSeconds); h.tool == tool_name; h.argsHash == args_hash]
	count(same) >= cfg.loopCount
	msg := sprintf("the same %v call already ran %v times in %v s: looks like a loop", [tool_name, count(same), cfg.loopWindowSeconds])
}

review contains msg if {
	applies
	same_tool := [h | some h in recent(cfg.sameToolWindowSeconds); h.tool == tool_name]
	count(same_tool) >= cfg.sameToolCount
	msg := sprintf("%v already ran %v times in %v s: a human must look", [tool_name, count(same_tool), cfg.sameToolWindowSeconds])
}
