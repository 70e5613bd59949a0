# Destructive or irreversible operations always go to a human: listed tools, tools tagged destructive or irreversible, critical-risk tools, and force or recursive flags.
package airlock.guardrails.destructive

tool_name := input.action.tool

review contains msg if {
	tool_name in data.destructive.tools
	msg := sprintf("%v is destructive: a human must approve it", [tool_name])
}

review contains msg if {
	some tag in input.tool.tags
	tag in data.destructive.tags
	msg := sprintf("%v is tagged %v: a human must approve it", [tool_name, tag])
}

review contains msg if {
	input.tool.risk in data.destructive.risks
	msg := sprintf("%v has %v risk: a human must approve it", [tool_name, input.tool.risk])
}

review contains msg if {
	some flag in ["force", "recursive", "purge", "permanent"]
	input.action.args[flag] == true
	msg := sprintf("argument %v=true makes %v irreversible: a human must approve it", [flag, tool_name])
}
