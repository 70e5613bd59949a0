# Tests of business hours and change freezes.
package airlock.guardrails.schedule_test

import data.airlock.fixtures
import data.airlock.guardrails.schedule

at(tool, now_ns) := object.union(fixtures.input_for("ops-bot", tool, {"job": "nightly-etl"}), {"now_ns": now_ns})

# 2026-11-25T10:00:00Z is a Wednesday.
wednesday_10h := 1795600800000000000

wednesday_22h := wednesday_10h + ((12 * 3600) * 1000000000)

saturday_10h := wednesday_10h + ((3 * 86400) * 1000000000)

# 2026-12-24T10:00:00Z, inside the year-end freeze.
christmas_eve_10h := 1798106400000000000

test_production_run_in_business_hours_passes if {
	count(schedule.review) == 0 with input as at("production.run", wednesday_10h)
}

test_production_run_at_night_goes_to_review if {
	count(schedule.review) == 1 with input as at("production.run", wednesday_22h)
}

test_production_run_on_saturday_goes_to_review if {
	count(schedule.review) == 1 with input as at("production.run", saturday_10h)
}

test_other_tools_ignore_business_hours if {
	count(schedule.review) == 0 with input as at("files.read", wednesday_22h)
}

test_freeze_window_goes_to_review if {
	msgs := schedule.review with input as at("cluster.scale", christmas_eve_10h)
	some msg in msgs
	contains(msg, "year-end change freeze")
}

test_freeze_window_is_data_driven if {
	freezes := [{"start": "2026-11-25", "end": "2026-11-25", "tools": ["costly"], "reason": "test freeze"}]
	count(schedule.review) == 1 with input as at("costly", wednesday_22h) with data.schedule.freezes as freezes
	count(schedule.review) == 0 with input as at("costly", wednesday_22h + ((2 * 3600) * 1000000000)) with data.schedule.freezes as freezes
}

test_utc_offset_shifts_business_hours if {
	# 10:00 UTC is 19:00 at UTC+9, after business hours.
	count(schedule.review) == 1 with input as at("production.run", wednesday_10h) with data.schedule.utcOffsetMinutes as 540
}

test_unknown_clock_goes_to_review if {
	count(schedule.review) > 0 with input as at("cluster.scale", "yesterday")
}
