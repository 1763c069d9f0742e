-- Incidents per 2025 commune over whole half-months [from, to), from the
-- aggregates; one province, or all when province is ''.
SELECT
    commune_code,
    sum(incidents) AS n,
    sum(closed) AS n_closed,
    sum(days_sum) AS n_days
FROM {agg:Identifier}
WHERE ({province:String} = '' OR province_code = {province:String})
  AND half_month >= {from:Date} AND half_month < {to:Date}
GROUP BY commune_code
ORDER BY commune_code
