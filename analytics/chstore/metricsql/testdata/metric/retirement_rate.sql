-- Metric retirement_rate: sites retired within the window ÷ sites active at its start
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(f.num, 0)) AS num, toFloat64(ifNull(f.den, 0)) AS den
FROM communes AS c
LEFT JOIN (
    SELECT commune_code, countIf(retired >= {from:Date} AND retired < {to:Date} AND (opened IS NULL OR opened < {from:Date})) AS num, countIf((opened IS NULL OR opened < {from:Date}) AND (retired IS NULL OR retired >= {from:Date})) AS den
    FROM sites FINAL
    WHERE ({province:String} = '' OR province_code = {province:String})
    GROUP BY commune_code
) AS f ON f.commune_code = c.code
ORDER BY commune_code
