// Wait until an index just created is online (a new index is filled in the background, and
// until then the queries it serves are planned without it).
// $name: the index; $seconds: how long to wait before failing.
CALL db.awaitIndex($name, $seconds)
