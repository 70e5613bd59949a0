# Tool permissions by agent role and by workflow: only granted tools are allowed, unknown agents may only echo, unknown tools go to a human.
package airlock.guardrails.permissions

tool_name := input.action.tool

agent_id := input.action.agentId

# Roles of a registered agent; an unregistered agent has none.
roles contains role if {
	input.agent.known == true
	some role in input.agent.roles
}

# Tools every agent may use (the built-in `echo`), plus those its roles grant.
granted contains tool if some tool in data.permissions.everyone

granted contains tool if {
	some role in roles
	some tool in data.permissions.roles[role]
}

# Workflow rules whose prefix matches this action's workflow.
workflow_rules contains rule if {
	some rule in data.permissions.workflows
	startswith(input.action.workflowId, rule.prefix)
}

workflow_forbids if {
	some rule in workflow_rules
	not tool_name in rule.tools
}

default allowed := false

allowed if {
	input.tool.known == true
	input.tool.name == tool_name
	tool_name in granted
	not workflow_forbids
}

allow_reason := sprintf("tool %s is granted to agent %s", [tool_name, agent_id])

deny contains msg if {
	input.agent.known != true
	not tool_name in data.permissions.everyone
	msg := sprintf("agent %v is not registered: unregistered agents may only use %v", [agent_id, concat(", ", data.permissions.everyone)])
}

deny contains msg if {
	input.agent.known == true
	input.tool.known == true
	not tool_name in granted
	msg := sprintf("no role of agent %v (%v) grants tool %v", [agent_id, concat(", ", roles), tool_name])
}

deny contains msg if {
	some rule in workflow_rules
	not tool_name in rule.tools
	msg := sprintf("tool %v is not allowed in workflow %v: %v", [tool_name, input.action.workflowId, rule.reason])
}

deny contains msg if {
	input.tool.known == true
	input.tool.name != tool_name
	msg := sprintf("requested tool %v does not match the registry entry %v", [tool_name, input.tool.name])
}

review contains msg if {
	input.tool.known != true
	msg := sprintf("unknown tool %v: a human must decide", [tool_name])
}
