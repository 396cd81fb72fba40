// Take the resolution lock: write-lock the one ResolutionLock node (created if missing;
// its uniqueness constraint makes concurrent creation wait too). The caller keeps this
// transaction open for the whole resolution step and rolls it back at the end, so the
// lock is released then, or when its connection drops.
// $name: the lock's name; $at: when it was taken (ISO 8601).
MERGE (l:ResolutionLock {name: $name})
SET l.taken_at = $at
RETURN l.name AS name
