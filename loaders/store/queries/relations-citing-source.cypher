// Every relation that cites one source, with the source's title.
// param: source  id of the source, e.g. mas-guardian-2022
MATCH (s:Source {id: $source})
MATCH (a:Entity)-[r]->(b:Entity)
WHERE s.id IN r.sources
RETURN a.id AS from_id, type(r) AS type, b.id AS to_id, r.start AS start, s.title AS source_title
ORDER BY from_id, type, to_id
