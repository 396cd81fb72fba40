// The alerts new findings may belong to: those about one of the findings' causes
// ($keys: rule + '|' + cause; rule names hold no '|'), and those of the same rules
// ($rules) that name one of the findings' cases ($cases).
MATCH (a:Alert)
WHERE a.rule IN $rules
  AND (a.rule + '|' + a.cause IN $keys OR any(c IN a.cases WHERE c IN $cases))
RETURN a.payload AS payload
ORDER BY a.alert_id
