-- Metric former_coverage: pre-2025 units inside a 2025 commune with at least
-- one active site recorded under them ÷ the units the crosswalk puts there.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(f.num, 0)) AS num, toFloat64(ifNull(u.den, 0)) AS den
FROM communes AS c
LEFT JOIN (
    SELECT new_code, uniqExact(old_code) AS den
    FROM ref_crosswalk FINAL
    WHERE old_code != ''
    GROUP BY new_code
) AS u ON u.new_code = c.code
LEFT JOIN (
    SELECT s.commune_code AS commune_code, uniqExact(s.old_code) AS num
    FROM sites AS s FINAL
    INNER JOIN (SELECT old_code, new_code FROM ref_crosswalk FINAL WHERE old_code != '') AS x
        ON x.old_code = s.old_code AND x.new_code = s.commune_code
    WHERE ({province:String} = '' OR s.province_code = {province:String})
      AND (s.opened IS NULL OR s.opened < {to:Date}) AND (s.retired IS NULL OR s.retired >= {to:Date})
    GROUP BY s.commune_code
) AS f ON f.commune_code = c.code
ORDER BY commune_code
