// The largest conflict clusters: groups of people and enterprises joined by shared cases,
// legal-representative or shareholder links, company groups and rarely shared phones or
// addresses (graph/clusters.py; large groups are split into communities). Per cluster:
// its members (highest risk first; their entity ids for the entity-network query), their
// total risk score, and the cases they are party to, open and all. Cluster ids, names and risk are as of the last refresh
// (`wutong resolve`, `wutong alerts --recompute`, `wutong demo`).
// Set the parameter first:  :param top => 20
// (then `MATCH (e {cluster: 'C-E00000003'}) RETURN e` draws one cluster).
MATCH (e:Entity)
WHERE (e:Person OR e:Enterprise) AND e.cluster IS NOT NULL
WITH e ORDER BY e.risk_score DESC, e.name
WITH e.cluster AS cluster, collect(e) AS members
WITH cluster, members, size(members) AS size
ORDER BY size DESC, cluster
LIMIT $top
CALL (members) {
  UNWIND members AS m
  OPTIONAL MATCH (m)-[:PARTY_TO]->(c:Case)
  RETURN count(DISTINCT c) AS cases,
         count(DISTINCT CASE WHEN c.closed_on IS NULL THEN c END) AS open_cases
}
RETURN cluster, size,
       round(reduce(total = 0.0, m IN members | total + coalesce(m.risk_score, 0.0)), 2)
         AS risk,
       [m IN members[..10] | m.name + ' (' + coalesce(m.risk_level, '-') + ')'] AS members,
       [m IN members[..10] | m.entity_id] AS entity_ids,
       open_cases, cases
ORDER BY size DESC, risk DESC, cluster
