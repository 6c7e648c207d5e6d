// Projects whose participants, members, leads or launchers come from more than one jurisdiction.
MATCH (m:Entity)-[:PARTICIPATES_IN|MEMBER_OF|LEADS|LAUNCHED|OBSERVER_OF]->(p:Project)
WITH p, collect(DISTINCT m.jurisdiction) AS jurisdictions, collect(DISTINCT m.id) AS members
WHERE size(jurisdictions) > 1
RETURN p.id AS project, p.name AS name, size(jurisdictions) AS n_jurisdictions,
       jurisdictions, members
ORDER BY n_jurisdictions DESC, project
