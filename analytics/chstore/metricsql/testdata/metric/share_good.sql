-- Metric share_good: sites graded Tốt or Khá in the police year the window ends in ÷ sites graded that year
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Columns: commune_code, num, den (value = num / den × scale; den = 0: no data).
-- Parameter v1 = Tốt
-- Parameter v2 = Khá
WITH communes AS (
    SELECT code, area_km2, population
    FROM ref_communes FINAL
    WHERE {province:String} = '' OR province_code = {province:String}
)
SELECT c.code AS commune_code, toFloat64(ifNull(f.num, 0)) AS num, toFloat64(ifNull(f.den, 0)) AS den
FROM communes AS c
LEFT JOIN (
SELECT commune_code, countIf(grade IN ({v1:String}, {v2:String})) AS num, count() AS den
    FROM grades FINAL
    WHERE ({province:String} = '' OR province_code = {province:String})
      AND year = {grade_year:UInt16}
    GROUP BY commune_code
) AS f ON f.commune_code = c.code
ORDER BY commune_code
