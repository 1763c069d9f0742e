-- Grades of a province ("" = all) counted per commune, police year and
-- grade, for the in-memory aggregates (analytics/memagg).
-- Columns: province_code, commune_code, year, grade, n.
SELECT province_code, commune_code, year, toString(grade) AS grade, count() AS n
FROM grades FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code, commune_code, year, grade
