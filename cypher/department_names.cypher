// Every department node's code and name (opening the store writes them only when one is
// missing or renamed).
MATCH (d:Department)
RETURN d.code AS code, d.name AS name
