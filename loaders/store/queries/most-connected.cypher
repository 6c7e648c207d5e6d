// The entities with the most relations (both directions), with their kind.
// param: limit = 20  how many to list
MATCH (n:Entity)-[r]-()
WITH n, count(r) AS degree
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.jurisdiction AS jurisdiction, degree
ORDER BY degree DESC, id
LIMIT $limit
