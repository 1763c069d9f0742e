-- Metric incidents_per_site: incidents received within the window ÷ sites active at its end
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(n.num, 0)) AS num, toFloat64(ifNull(d.den, 0)) AS den
FROM communes AS c
LEFT JOIN (
    SELECT commune_code, sum(incidents) AS num
    FROM {agg:Identifier}
    WHERE {aligned:UInt8} = 1 AND ({province:String} = '' OR province_code = {province:String})
      AND half_month >= {from:Date} AND half_month < {to:Date}
    GROUP BY commune_code
    UNION ALL
    SELECT commune_code, count() AS num
    FROM incidents FINAL
    WHERE {aligned:UInt8} = 0 AND ({province:String} = '' OR province_code = {province:String})
      AND received >= {from:Date} AND received < {to:Date}
      AND tip = 0
    GROUP BY commune_code
) AS n ON n.commune_code = c.code
LEFT JOIN (
    SELECT commune_code, count() AS den
    FROM sites FINAL
    WHERE ({province:String} = '' OR province_code = {province:String})
      AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
    GROUP BY commune_code
) AS d ON d.commune_code = c.code
ORDER BY commune_code
