-- Rebuild one province's per-commune half-month aggregates into the staging
-- table; the caller swaps the partition in. Incident figures count incidents
-- proper (tip = 0); tips are counted apart. The outcome lists are parameters
-- from analytics (OutcomesResolvedLocal, OutcomesMediationConcluded, ...),
-- the same the catalogue's expressions use.
INSERT INTO incidents_agg_stage
SELECT
    province_code,
    commune_code,
    if(toDayOfMonth(received) < 15, toStartOfMonth(received), toStartOfMonth(received) + 14) AS hm,
    countIf(tip = 0),
    countIf(tip = 0 AND closed IS NOT NULL),
    countIf(tip = 0 AND has({resolved_local:Array(String)}, outcome)),
    countIf(tip = 0 AND outcome = {mediated:String}),
    countIf(tip = 0 AND has({mediation_concluded:Array(String)}, outcome)),
    countIf(tip = 0 AND outcome = {pending:String}),
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
