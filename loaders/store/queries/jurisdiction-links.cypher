// How many relations link entities of two different jurisdictions, busiest pairs first.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.jurisdiction <> b.jurisdiction
RETURN a.jurisdiction AS from_jurisdiction, b.jurisdiction AS to_jurisdiction,
       count(r) AS relations
ORDER BY relations DESC, from_jurisdiction, to_jurisdiction
