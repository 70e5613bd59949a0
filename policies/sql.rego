# Read-only SQL: `sql.query` runs one SELECT, WITH, EXPLAIN, SHOW or DESCRIBE statement, never a write, DDL, comment or second statement.
package airlock.guardrails.sql

applies if input.action.tool in data.arguments.sql.tools

query := input.action.args.query

statement := lower(trim_space(query))

# Keywords that write, change schema or permissions, or run code.
write_keywords := `\b(insert|update|delete|merge|upsert|replace|drop|alter|truncate|create|rename|grant|revoke|into|copy|call|exec|execute|lock|vacuum|attach|detach|pragma)\b`

deny contains `sql.query needs a string argument "query"` if {
	applies
	not is_string(query)
}

deny contains "the SQL statement is empty" if {
	applies
	statement == ""
}

deny contains "only read-only statements (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) may run" if {
	applies
	statement != ""
	not regex.match(`^(select|with|explain|show|describe)\b`, statement)
}

deny contains msg if {
	applies
	found := regex.find_n(write_keywords, statement, 1)
	count(found) > 0
	msg := sprintf("the SQL statement contains %v: only read-only SQL may run", [upper(found[0])])
}

deny contains "only one SQL statement may run" if {
	applies
	regex.match(`;\s*\S`, statement)
}

deny contains "SQL comments are not allowed" if {
	applies
	regex.match(`--|/\*|#`, statement)
}
