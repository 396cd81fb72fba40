// Enterprises whose legal representative is on the dishonest-debtor list (失信被执行人),
// with the enterprise's own open cases. No parameters; listings past expiry and former
// legal representatives are left out.
MATCH (p:Person)-[:SUBJECT_OF]->(listing:CreditEvent {event_type: 'dishonest_debtor'})
WHERE listing.expires_on IS NULL OR listing.expires_on >= toString(date())
MATCH (p)-[rep:LEGAL_REP_OF]->(company:Enterprise)
WHERE rep.ends_on IS NULL OR rep.ends_on >= toString(date())
OPTIONAL MATCH (company)-[:PARTY_TO]->(c:Case)
WHERE c.closed_on IS NULL
RETURN company.name AS enterprise, p.name AS legal_representative,
       listing.source_id AS listing, count(DISTINCT c) AS open_cases
ORDER BY open_cases DESC
LIMIT 100
