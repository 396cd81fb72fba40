// The mentions resolved to one entity id, by mention_id. $entity_id: the id.
MATCH (m:Mention {entity_id: $entity_id})
RETURN m.mention_id AS mention_id, m.source AS source, m.source_id AS source_id,
       m.slot AS slot, m.kind AS kind, m.entity_id AS entity_id, m.decision AS decision,
       m.score AS score, m.evidence AS evidence, m.decided_by AS decided_by, m.at AS at,
       m.fields AS fields
ORDER BY mention_id
