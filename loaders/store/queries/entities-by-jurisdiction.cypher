// Every entity of one jurisdiction, by kind.
// param: jurisdiction  ISO 3166-1 alpha-2 code, or EU / INT, e.g. SG
MATCH (n:Entity {jurisdiction: $jurisdiction})
RETURN n.kind AS kind, n.id AS id, n.name AS name
ORDER BY kind, id
