-- Metric sites_per_commune: active sites ÷ 2025 communes
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(n.num, 0)) AS num, toFloat64(1.0) AS den
FROM communes AS c
LEFT JOIN (
    SELECT commune_code, count() AS num
    FROM sites FINAL
    WHERE ({province:String} = '' OR province_code = {province:String})
      AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
    GROUP BY commune_code
) AS n ON n.commune_code = c.code
ORDER BY commune_code
