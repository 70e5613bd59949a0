# The decision for one action: any guardrail denial denies, else any objection goes to a human, else only what a permission grants is allowed.
package airlock

import data.airlock.guardrails

# Every guardrail contributes a `deny` and a `review` set of reasons. To add a guardrail,
# add its two lines here (see policies/README.md).
denials contains msg if some msg in guardrails.permissions.deny
denials contains msg if some msg in guardrails.args_shape.deny
denials contains msg if some msg in guardrails.sql.deny
denials contains msg if some msg in guardrails.email.deny
denials contains msg if some msg in guardrails.payments.deny
denials contains msg if some msg in guardrails.files.deny
denials contains msg if some msg in guardrails.egress.deny
denials contains msg if some msg in guardrails.cost.deny
denials contains msg if some msg in guardrails.secrets.deny
denials contains msg if some msg in guardrails.infrastructure.deny

reviews contains msg if some msg in guardrails.permissions.review
reviews contains msg if some msg in guardrails.payments.review
reviews contains msg if some msg in guardrails.cost.review
reviews contains msg if some msg in guardrails.destructive.review
reviews contains msg if some msg in guardrails.schedule.review
reviews contains msg if some msg in guardrails.velocity.review
reviews contains msg if some msg in guardrails.secrets.review
reviews contains msg if some msg in guardrails.infrastructure.review
reviews contains msg if some msg in guardrails.anomalies.review
reviews contains msg if some msg in guardrails.breakers.review

# When nothing objects and no permission grants the tool, a human decides: never allow by default.
no_grant_reason := "no permission grants this tool to this agent: a human must decide"

outcome := "deny" if count(denials) > 0
else := "review" if count(reviews) > 0
else := "allow" if guardrails.permissions.allowed
else := "review"

reasons := sort(denials) if count(denials) > 0
else := sort(reviews) if count(reviews) > 0
else := [guardrails.permissions.allow_reason] if guardrails.permissions.allowed
else := [no_grant_reason]

# The entrypoint `airlock/decision` (docs/policy-contract.md): outcome, reasons and obligations.
decision := object.union(guardrails.cost.obligations, {"outcome": outcome, "reasons": reasons})
