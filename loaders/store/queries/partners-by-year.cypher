// An entity's partners (partnerships and MoUs), by the year each began.
// param: entity  id of the entity, e.g. mas
MATCH (a:Entity {id: $entity})-[r:PARTNERS_WITH|SIGNED_MOU_WITH]-(b:Entity)
RETURN coalesce(substring(r.start, 0, 4), '') AS year, type(r) AS link, b.id AS partner,
       b.name AS name, b.jurisdiction AS jurisdiction
ORDER BY year, partner, link
