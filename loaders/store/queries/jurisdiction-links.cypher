// How many relations link entities of two different jurisdictions, each unordered pair once (jurisdiction_a before jurisdiction_b), busiest pairs first.
MATCH (a:Entity)-[r]-(b:Entity)
WHERE a.jurisdiction < b.jurisdiction
RETURN a.jurisdiction AS jurisdiction_a, b.jurisdiction AS jurisdiction_b, count(r) AS relations
ORDER BY relations DESC, jurisdiction_a, jurisdiction_b
