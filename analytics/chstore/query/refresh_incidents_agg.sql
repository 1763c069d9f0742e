-- Rebuild one province's per-commune half-month aggregates into the staging
-- table; the caller swaps the partition in.
INSERT INTO incidents_agg_stage
SELECT
    province_code,
    commune_code,
    if(toDayOfMonth(received) < 15, toStartOfMonth(received), toStartOfMonth(received) + 14) AS hm,
    count(),
    countIf(closed IS NOT NULL),
    countIf(outcome IN ('hòa giải thành', 'giải quyết tại cơ sở')),
    countIf(outcome = 'hòa giải thành'),
    countIf(outcome IN ('hòa giải thành', 'hòa giải không thành')),
    countIf(outcome = 'đang giải quyết'),
    countIf(tip = 1),
    countIf(tip = 1 AND tip_useful = 1),
    sumIf(toUInt64(greatest(dateDiff('day', received, assumeNotNull(closed)), 0)), closed IS NOT NULL),
    quantileTDigestStateIf(d, closed IS NOT NULL)
FROM (
    SELECT *, toUInt32(greatest(dateDiff('day', received, assumeNotNull(closed)), 0)) AS d
    FROM incidents FINAL
    WHERE province_code = {province:String}
)
GROUP BY province_code, commune_code, hm
