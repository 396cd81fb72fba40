// How many live (not absorbed) entities of one kind exist: those records resolve to (the
// Person or Enterprise label, from the count store) and the few no record resolves to.
// $kind: 'person' or 'enterprise'.
CALL () { MATCH (p:Person) RETURN count(p) AS people }
CALL () { MATCH (e:Enterprise) RETURN count(e) AS enterprises }
CALL () { MATCH (u:UnlinkedEntity) WHERE u.kind = $kind RETURN count(u) AS unlinked }
RETURN CASE $kind WHEN 'person' THEN people WHEN 'enterprise' THEN enterprises ELSE 0 END
       + unlinked AS count
