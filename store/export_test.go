package store

// Plain has SQLite answer the search with one SQL statement, as PostgreSQL
// does, instead of walking its full-text index: tests compare the two.
func Plain(q Query) Query {
	q.plain = true
	return q
}
