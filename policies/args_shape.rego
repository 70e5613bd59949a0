# Argument shape: a tool's arguments must be one JSON object of bounded size and nesting depth.
package airlock.guardrails.args_shape

args := input.action.args

limits := data.arguments

deny contains "arguments must be a JSON object" if not is_object(args)

deny contains msg if {
	size := count(json.marshal(args))
	size > limits.maxArgsBytes
	msg := sprintf("arguments are %v characters long as JSON, over the limit of %v", [size, limits.maxArgsBytes])
}

# The deepest path into the arguments (a flat object has depth 1).
depth := max([count(path) | walk(args, [path, _])])

deny contains msg if {
	depth > limits.maxDepth
	msg := sprintf("arguments are nested %v levels deep, over the limit of %v", [depth, limits.maxDepth])
}
