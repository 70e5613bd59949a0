# Business hours and change freezes: listed change tools run only on business days and hours, and during a freeze window only with a human.
package airlock.guardrails.schedule

cfg := data.schedule

tool_name := input.action.tool

ns_per_day := 86400000000000

# Wall-clock time of the business, shifted from UTC by a fixed offset.
local_ns := input.now_ns + ((cfg.utcOffsetMinutes * 60) * 1000000000)

in_business_hours if {
	time.weekday(local_ns) in cfg.businessDays
	hour := time.clock(local_ns)[0]
	hour >= cfg.businessHours.start
	hour < cfg.businessHours.end
}

review contains msg if {
	tool_name in cfg.offHoursTools
	not in_business_hours
	msg := sprintf("%v runs only on business days %v:00-%v:00: a human must approve it now", [tool_name, cfg.businessHours.start, cfg.businessHours.end])
}

# Freeze windows from data: `start` and `end` are inclusive dates (YYYY-MM-DD, business time).
active_freezes contains freeze if {
	some freeze in cfg.freezes
	start_ns := time.parse_rfc3339_ns(concat("", [freeze.start, "T00:00:00Z"]))
	end_ns := time.parse_rfc3339_ns(concat("", [freeze.end, "T00:00:00Z"])) + ns_per_day
	local_ns >= start_ns
	local_ns < end_ns
}

review contains msg if {
	some freeze in active_freezes
	tool_name in freeze.tools
	msg := sprintf("%v during the %v (%v to %v): a human must approve it", [tool_name, freeze.reason, freeze.start, freeze.end])
}

# Without a usable clock neither rule can be checked: a human decides.
review contains msg if {
	not is_number(input.now_ns)
	some freeze in cfg.freezes
	tool_name in freeze.tools
	msg := sprintf("%v: the current time is unknown, so freeze windows cannot be checked", [tool_name])
}
