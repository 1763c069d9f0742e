-- Metric resolution_rate: resolved at the grassroots ÷ incidents received
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
-- Parameter v1 = hòa giải thành
-- Parameter v2 = giải quyết tại cơ sở
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(f.num, 0)) AS num, toFloat64(ifNull(f.den, 0)) AS den
FROM communes AS c
LEFT JOIN (
    SELECT commune_code, sum(resolved_local) AS num, sum(incidents) AS den
    FROM {agg:Identifier}
    WHERE {aligned:UInt8} = 1 AND ({province:String} = '' OR province_code = {province:String})
      AND half_month >= {from:Date} AND half_month < {to:Date}
    GROUP BY commune_code
    UNION ALL
    SELECT commune_code, countIf(outcome IN ({v1:String}, {v2:String})) AS num, count() AS den
    FROM incidents FINAL
    WHERE {aligned:UInt8} = 0 AND ({province:String} = '' OR province_code = {province:String})
      AND received >= {from:Date} AND received < {to:Date}
      AND tip = 0
    GROUP BY commune_code
) AS f ON f.commune_code = c.code
ORDER BY commune_code
