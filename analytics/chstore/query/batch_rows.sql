-- The rows a batch wrote into one fact table, by province.
SELECT province_code, count()
FROM {table:Identifier}
WHERE batch_id = {batch:String}
GROUP BY province_code
ORDER BY province_code
