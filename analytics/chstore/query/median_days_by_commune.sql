-- Median days to close per 2025 commune over whole half-months [from, to).
SELECT
    commune_code,
    quantileTDigestMerge(0.5)(days_quantile) AS median_days
FROM incidents_agg
WHERE ({province:String} = '' OR province_code = {province:String})
  AND half_month >= {from:Date} AND half_month < {to:Date}
GROUP BY commune_code
ORDER BY commune_code
