// Make sure the ResolutionLock node exists (committed once, so that taking the lock is a
// plain write lock on it). $name: the lock's name.
MERGE (:ResolutionLock {name: $name})
