-- Rebuild one province's per-commune half-month aggregates into the staging
-- table; the caller swaps the partition in. Incident figures count incidents
-- proper (tip = 0); tips are counted apart.
INSERT INTO incidents_agg_stage
SELECT
    province_code,
    commune_code,
    if(toDayOfMonth(received) < 15, toStartOfMonth(received), toStartOfMonth(received) + 14) AS hm,
    countIf(tip = 0),
    countIf(tip = 0 AND closed IS NOT NULL),
    countIf(tip = 0 AND outcome IN ('hòa giải thành', 'giải quyết tại cơ sở')),
    countIf(tip = 0 AND outcome = 'hòa giải thành'),
    countIf(tip = 0 AND outcome IN ('hòa giải thành', 'hòa giải không thành')),
    countIf(tip = 0 AND outcome = 'đang giải quyết'),
    countIf(tip = 1),
    countIf(tip = 1 AND tip_useful = 1),
    sumIf(toUInt64(d), tip = 0 AND closed IS NOT NULL),
    quantileTDigestStateIf(d, tip = 0 AND closed IS NOT NULL)
FROM (
    SELECT *, toUInt32(greatest(dateDiff('day', received, assumeNotNull(closed)), 0)) AS d
    FROM incidents FINAL
    WHERE province_code = {province:String}
)
GROUP BY province_code, commune_code, hm
