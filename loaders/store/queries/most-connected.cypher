// The entities linked to the most others: degree is the number of distinct entities an entity is linked to (either direction), through substantive relations unless structural is true.
// param: limit = 20  how many to list
// param: structural = false  true to count structural relations too (membership, location, employment, ...)
MATCH (n:Entity)-[r]-(m:Entity)
WHERE m <> n AND ($structural OR r.class = 'substantive')
WITH n, count(DISTINCT m) AS degree
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.jurisdiction AS jurisdiction, degree
ORDER BY degree DESC, id
LIMIT $limit
