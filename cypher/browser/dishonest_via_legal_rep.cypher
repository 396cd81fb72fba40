// Enterprises whose legal representative is on the dishonest-debtor list (失信被执行人),
// with the enterprise's own open cases. No parameters; listings past expiry and former
// legal representatives are left out, as of the day the risk scores were computed for
// (WUTONG_ANALYTICS_AS_OF at the last refresh, kept on each entity as risk_as_of), so the
// answer agrees with `wutong risk` and does not drift with the calendar.
MATCH (p:Person)-[:SUBJECT_OF]->(listing:CreditEvent {event_type: 'dishonest_debtor'})
WITH p, listing, coalesce(p.risk_as_of, toString(date())) AS as_of
WHERE listing.expires_on IS NULL OR listing.expires_on >= as_of
MATCH (p)-[rep:LEGAL_REP_OF]->(company:Enterprise)
WHERE rep.ends_on IS NULL OR rep.ends_on >= as_of
OPTIONAL MATCH (company)-[:PARTY_TO]->(c:Case)
WHERE c.closed_on IS NULL
RETURN company.name AS enterprise, p.name AS legal_representative,
       listing.source_id AS listing, count(DISTINCT c) AS open_cases
ORDER BY open_cases DESC
LIMIT 100
