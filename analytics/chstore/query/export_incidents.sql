-- The restated incidents as stored (FINAL: one row per key, the newest
-- version), for a peer system to load the same rows (antq export-rows).
-- Dates as text, '' for none.
-- Columns: province_code, commune_code, received, closed, outcome, tip, tip_useful.
SELECT toString(province_code), toString(commune_code), toString(received),
       ifNull(toString(closed), ''), toString(outcome), toString(tip), toString(tip_useful)
FROM incidents FINAL
WHERE {province:String} = '' OR province_code = {province:String}
