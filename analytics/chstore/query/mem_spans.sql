-- Sites and models of a province ("" = all) counted per commune, start
-- date, retirement date and (models) advanced flag, for the in-memory
-- aggregates (analytics/memagg): every active/opened/retired condition of
-- the catalogue is a function of these.
-- Columns: kind, province_code, commune_code, start, end, advanced, n.
SELECT 'sites' AS kind, province_code, commune_code, opened AS start, retired AS end, toUInt8(0) AS advanced, count() AS n
FROM sites FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code, commune_code, opened, retired
UNION ALL
SELECT 'models' AS kind, province_code, commune_code, founded AS start, retired AS end, advanced, count() AS n
FROM models FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code, commune_code, founded, retired, advanced
