-- Copy every province's aggregates, without the median states, into the
-- national table's staging table; the caller swaps it in.
INSERT INTO incidents_agg_all_stage
SELECT province_code, commune_code, half_month, incidents, closed, resolved_local, mediated,
       mediation_concluded, pending, tips, tips_useful, days_sum
FROM incidents_agg
