// Cases that escalated from people's mediation (人民调解) to litigation or arbitration,
// with the parties of the later case. No parameters.
MATCH (earlier:Case)-[:ESCALATED_TO]->(later:Case)
WHERE earlier.channel = 'peoples_mediation'
  AND later.channel IN ['litigation', 'labour_arbitration', 'petition']
OPTIONAL MATCH (party)-[:PARTY_TO]->(later)
RETURN earlier.source_id AS mediation_case, later.channel AS became,
       later.source_id AS later_case, later.filed_on AS filed_on,
       collect(party.name) AS parties
ORDER BY later.filed_on DESC
LIMIT 100
