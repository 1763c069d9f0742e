-- Metric former_coverage: pre-2025 units inside a 2025 commune with at least one active site recorded under them ÷ those units
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
    SELECT s.commune_code AS commune_code, uniqExact(s.old_code) AS num
    FROM sites AS s FINAL
    INNER JOIN (SELECT old_code, new_code FROM ref_crosswalk FINAL WHERE old_code != '') AS x
        ON x.old_code = s.old_code AND x.new_code = s.commune_code
    WHERE ({province:String} = '' OR s.province_code = {province:String})
      AND (s.opened IS NULL OR s.opened < {to:Date}) AND (s.retired IS NULL OR s.retired >= {to:Date})
    GROUP BY s.commune_code
) AS n ON n.commune_code = c.code
LEFT JOIN (
    SELECT new_code, uniqExact(old_code) AS den
    FROM ref_crosswalk FINAL
    WHERE old_code != ''
    GROUP BY new_code
) AS d ON d.new_code = c.code
ORDER BY commune_code
