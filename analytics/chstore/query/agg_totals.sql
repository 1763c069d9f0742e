-- Totals of one province's pre-aggregated incidents.
SELECT sum(incidents), sum(closed), sum(days_sum)
FROM incidents_agg
WHERE province_code = {province:String}
