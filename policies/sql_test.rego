# Tests of the read-only SQL guardrail.
package airlock.guardrails.sql_test

import data.airlock.fixtures
import data.airlock.guardrails.sql

sql_input(query) := fixtures.input_for("analyst-bot", "sql.query", {"query": query})

test_select_passes if {
	count(sql.deny) == 0 with input as sql_input("SELECT id, updated_at FROM orders WHERE status = 'open';")
}

test_with_select_passes if {
	count(sql.deny) == 0 with input as sql_input("  with t as (select 1 as x) select x from t")
}

test_delete_is_denied if {
	msgs := sql.deny with input as sql_input("DELETE FROM orders")
	some msg in msgs
	contains(msg, "DELETE")
}

test_stacked_statement_is_denied if {
	msgs := sql.deny with input as sql_input("select 1; drop table users")
	"only one SQL statement may run" in msgs
}

test_comment_is_denied if {
	"SQL comments are not allowed" in sql.deny with input as sql_input("select * from users -- and more")
}

test_select_into_is_denied if {
	count(sql.deny) > 0 with input as sql_input("select * into backup from users")
}

test_non_string_query_is_denied if {
	count(sql.deny) > 0 with input as fixtures.input_for("analyst-bot", "sql.query", {"query": ["select 1"]})
}

test_other_tools_are_not_checked if {
	count(sql.deny) == 0 with input as fixtures.input_for("support-bot", "echo", {"query": "drop table x"})
}
