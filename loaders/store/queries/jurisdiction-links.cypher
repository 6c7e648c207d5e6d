// How many links join entities of two different jurisdictions, busiest pairs first. Pairs are
// unordered (one row per pair of jurisdictions, the first in alphabetical order): links
// counts linked pairs of entities once, relations every relation between them.
MATCH (a:Entity)-[r]-(b:Entity)
WHERE a.jurisdiction < b.jurisdiction
WITH a.jurisdiction AS jurisdiction_a, b.jurisdiction AS jurisdiction_b, a, b,
     count(r) AS n
RETURN jurisdiction_a, jurisdiction_b, count(*) AS links, sum(n) AS relations
ORDER BY links DESC, relations DESC, jurisdiction_a, jurisdiction_b
