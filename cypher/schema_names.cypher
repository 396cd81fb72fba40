// Names of the indexes that exist. Every constraint Wutong creates (uniqueness) is backed
// by an index of the same name, so this names the constraints too. A read: opening the
// store checks these before it changes any schema, so a store opened while others load
// takes no schema lock.
SHOW INDEXES YIELD name
RETURN name
