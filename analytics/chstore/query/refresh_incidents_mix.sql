-- Rebuild one province's category x outcome mix of incidents (not tips) per
-- half-month into the staging table.
INSERT INTO incidents_mix_stage
SELECT
    province_code,
    if(toDayOfMonth(received) < 15, toStartOfMonth(received), toStartOfMonth(received) + 14) AS hm,
    category,
    outcome,
    count()
FROM incidents FINAL
WHERE province_code = {province:String} AND tip = 0
GROUP BY province_code, hm, category, outcome
