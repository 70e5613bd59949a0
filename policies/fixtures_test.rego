# Test fixtures: builds policy inputs of the shape the decide worker builds (docs/policy-contract.md).
package airlock.fixtures

# 2026-11-25T10:00:00Z, a Wednesday inside business hours and outside any freeze.
now_ns := 1795600800000000000

# The tool registry the tests assume (the demo tools and the example tools).
registry := {
	"echo": {"risk": "low", "tags": ["builtin"]},
	"sleep": {"risk": "low", "tags": ["builtin"]},
	"fail": {"risk": "low", "tags": ["builtin"]},
	"costly": {"risk": "medium", "tags": ["builtin"]},
	"cluster.scale": {"risk": "high", "tags": ["infrastructure"]},
	"sql.query": {"risk": "medium", "tags": ["data"]},
	"email.send": {"risk": "medium", "tags": ["communication"]},
	"payments.refund": {"risk": "high", "tags": ["payments"]},
	"files.read": {"risk": "low", "tags": ["files"]},
	"files.delete": {"risk": "high", "tags": ["files", "destructive"]},
	"http.fetch": {"risk": "medium", "tags": ["network"]},
	"production.run": {"risk": "high", "tags": ["production"]},
}

tool_meta(name) := object.union(
	{"name": name, "known": true, "risk": "low", "description": "", "costModel": {"perCallUsd": 0.01}, "tags": []},
	registry[name],
) if {
	registry[name]
} else := {"name": name, "known": false, "risk": "unknown", "description": "", "costModel": {}, "tags": []}

agent_meta(id) := {"id": id, "known": true, "roles": a.roles, "tenant": a.tenant} if {
	a := data.agents[id]
} else := {"id": id, "known": false, "roles": [], "tenant": null}

scope(name, window, cap, spent) := {
	"scope": name, "capUsd": cap, "spentUsd": spent, "reservedUsd": 0, "remainingUsd": cap - spent,
	"capTokens": 200000, "spentTokens": 0, "reservedTokens": 0, "window": window,
}

scopes := {
	"workflow:wf-test": scope("workflow:wf-test", "none", 10, 0),
	"agent:test": scope("agent:test", "day", 50, 0),
	"global": scope("global", "day", 5000, 0),
}

input_for(agent, tool, args) := {
	"action": {
		"id": "act_test", "agentId": agent, "workflowId": "wf-test", "tool": tool, "args": args,
		"estimate": {"costUsd": 0.01, "tokens": 100}, "context": {},
		"submittedAt": "2026-11-25T10:00:00.000Z",
	},
	"agent": agent_meta(agent),
	"tool": tool_meta(tool),
	"budget": {"scopes": scopes, "breakers": {}},
	"history": [],
	"now_ns": now_ns,
}

# One earlier action of the workflow, `seconds_ago` before now_ns.
past(tool, args_hash, seconds_ago, cost) := {
	"id": sprintf("act_past_%v", [seconds_ago]), "tool": tool, "argsHash": args_hash,
	"outcome": "succeeded", "costUsd": cost, "at_ns": now_ns - (seconds_ago * 1000000000),
}
