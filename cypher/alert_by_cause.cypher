// Every alert of the given rules ($rules; null for all), to match findings to their causes.
MATCH (a:Alert)
WHERE $rules IS NULL OR a.rule IN $rules
RETURN a.payload AS payload
