-- The 2025 communes as the metric frame (metricsql/shell.sql.tmpl) reads
-- them, for the in-memory aggregates (analytics/memagg): area and
-- population as the frame's ifNull(..., 0) gives them.
-- Columns: code, province_code, area_km2, population.
SELECT code, province_code, toFloat64(area_km2) AS area_km2, toFloat64(ifNull(population, 0)) AS population
FROM ref_communes FINAL
ORDER BY code
