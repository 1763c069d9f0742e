-- The restated sites as stored (FINAL: one row per key, the newest version),
-- for a peer system to load the same rows (antq export-rows). Dates as
-- text, '' for none.
-- Columns: province_code, commune_code, opened, retired.
SELECT toString(province_code), toString(commune_code),
       ifNull(toString(opened), ''), ifNull(toString(retired), '')
FROM sites FINAL
WHERE {province:String} = '' OR province_code = {province:String}
