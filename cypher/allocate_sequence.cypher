// Reserve $count sequence numbers from the named counter; returns the first one.
// The counter node is locked for the rest of the transaction, so concurrent writers
// never get the same numbers.
MERGE (c:Counter {name: $name})
SET c.value = coalesce(c.value, 0) + $count
RETURN c.value - $count + 1 AS first
