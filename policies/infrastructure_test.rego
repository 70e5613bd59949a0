# Tests of the infrastructure ceilings.
package airlock.guardrails.infrastructure_test

import data.airlock.fixtures
import data.airlock.guardrails.infrastructure

scale(args) := fixtures.input_for("ops-bot", "cluster.scale", args)

test_small_scale_passes if {
	inp := scale({"cluster": "web", "replicas": 5})
	count(infrastructure.deny) == 0 with input as inp
	count(infrastructure.review) == 0 with input as inp
}

test_over_hard_maximum_is_denied if {
	msgs := infrastructure.deny with input as scale({"cluster": "web", "replicas": 500})
	some msg in msgs
	contains(msg, "hard maximum of 50")
}

test_expensive_scale_goes_to_review if {
	inp := scale({"cluster": "web", "replicas": 21})
	count(infrastructure.deny) == 0 with input as inp
	count(infrastructure.review) == 1 with input as inp
}

test_gpu_nodes_are_priced_higher if {
	count(infrastructure.review) == 1 with input as scale({"cluster": "ml", "nodes": 2, "nodeType": "gpu"})
}

test_scale_to_zero_goes_to_review if {
	count(infrastructure.review) == 1 with input as scale({"cluster": "web", "replicas": 0})
}

test_bad_counts_are_denied if {
	count(infrastructure.deny) == 1 with input as scale({"cluster": "web", "replicas": "5"})
	count(infrastructure.deny) == 1 with input as scale({"cluster": "web", "replicas": -1})
	count(infrastructure.deny) == 1 with input as scale({"cluster": "web", "replicas": 2.5})
	count(infrastructure.deny) == 1 with input as scale({"cluster": "web"})
}
