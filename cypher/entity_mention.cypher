// Where one mention resolved to. $mention_id: the mention.
MATCH (m:Mention {mention_id: $mention_id})
RETURN m.mention_id AS mention_id, m.source AS source, m.source_id AS source_id,
       m.slot AS slot, m.kind AS kind, m.entity_id AS entity_id, m.decision AS decision,
       m.score AS score, m.evidence AS evidence, m.decided_by AS decided_by, m.at AS at,
       m.fields AS fields
