-- Incidents and tips of a province ("" = all) per commune and day received,
-- for the in-memory aggregates (analytics/memagg). The counters are those of
-- the half-month aggregates (refresh_incidents_agg.sql), with the same
-- outcome lists as parameters, so any window sums them to the same figures.
-- Columns: province_code, commune_code, received, rows, incidents, closed,
-- resolved_local, mediated, mediation_concluded, tips, tips_useful.
SELECT
    province_code,
    commune_code,
    received,
    count(),
    countIf(tip = 0),
    countIf(tip = 0 AND closed IS NOT NULL),
    countIf(tip = 0 AND has({resolved_local:Array(String)}, outcome)),
    countIf(tip = 0 AND outcome = {mediated:String}),
    countIf(tip = 0 AND has({mediation_concluded:Array(String)}, outcome)),
    countIf(tip = 1),
    countIf(tip = 1 AND tip_useful = 1)
FROM incidents FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code, commune_code, received
ORDER BY province_code, commune_code, received
