-- Rebuild one province's daily incident aggregates into the staging table;
-- the caller then swaps the partition in atomically.
INSERT INTO incidents_daily_stage
SELECT
    province_code,
    commune_code,
    received AS day,
    category,
    outcome,
    tip,
    tip_useful,
    count() AS n_incidents,
    countIf(closed IS NOT NULL) AS n_closed,
    sumIf(toUInt64(greatest(dateDiff('day', received, assumeNotNull(closed)), 0)), closed IS NOT NULL) AS n_days_sum,
    quantileTDigestStateIf(toUInt32(greatest(dateDiff('day', received, assumeNotNull(closed)), 0)), closed IS NOT NULL) AS q_days
FROM incidents FINAL
WHERE province_code = {province:String}
GROUP BY province_code, commune_code, day, category, outcome, tip, tip_useful
