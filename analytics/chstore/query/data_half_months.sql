-- The half-months (their first day, the 1st or the 15th) holding records:
-- incidents or tips received, sites opened or retired, models founded. The
-- default period is the latest complete one holding any.
-- Columns: half_month.
SELECT DISTINCT h AS half_month
FROM (
    SELECT half_month AS h
    FROM {agg:Identifier}
    WHERE ({province:String} = '' OR province_code = {province:String}) AND incidents + tips > 0
    UNION ALL
    SELECT toStartOfMonth(d) + if(toDayOfMonth(d) >= 15, 14, 0) AS h
    FROM (
        SELECT assumeNotNull(opened) AS d FROM sites
        WHERE ({province:String} = '' OR province_code = {province:String}) AND opened IS NOT NULL
        UNION ALL
        SELECT assumeNotNull(retired) AS d FROM sites
        WHERE ({province:String} = '' OR province_code = {province:String}) AND retired IS NOT NULL
        UNION ALL
        SELECT assumeNotNull(founded) AS d FROM models
        WHERE ({province:String} = '' OR province_code = {province:String}) AND founded IS NOT NULL
    )
)
ORDER BY half_month
