-- How a commune's records were restated on it: per kind, the rule used and
-- the places as written, for the commune detail's audit section.
SELECT kind, resolve_rule, source_place, old_code, split, n FROM (
    SELECT 'models' AS kind, toString(resolve_rule) AS resolve_rule, source_place, old_code, split, count() AS n
    FROM models FINAL WHERE commune_code = {commune:String} GROUP BY resolve_rule, source_place, old_code, split
    UNION ALL
    SELECT 'sites', toString(resolve_rule), source_place, old_code, split, count()
    FROM sites FINAL WHERE commune_code = {commune:String} GROUP BY resolve_rule, source_place, old_code, split
    UNION ALL
    SELECT 'incidents', toString(resolve_rule), source_place, old_code, split, count()
    FROM incidents FINAL WHERE commune_code = {commune:String} GROUP BY resolve_rule, source_place, old_code, split
)
ORDER BY kind, n DESC
LIMIT 200
