-- The half-months (their first day, the 1st or the 15th) holding records,
-- by kind: incidents or tips received, sites opened or retired, models
-- founded, grades (on the first half-month of their police year). The
-- default period is the latest complete one holding any; a trend starts
-- at the first holding its metric's kinds.
-- Columns: kind, half_month.
SELECT DISTINCT kind, h AS half_month
FROM (
    SELECT 'incidents' AS kind, half_month AS h
    FROM {agg:Identifier}
    WHERE ({province:String} = '' OR province_code = {province:String}) AND incidents + tips > 0
    UNION ALL
    SELECT kind, toStartOfMonth(d) + if(toDayOfMonth(d) >= 15, 14, 0) AS h
    FROM (
        SELECT 'sites' AS kind, assumeNotNull(opened) AS d FROM sites
        WHERE ({province:String} = '' OR province_code = {province:String}) AND opened IS NOT NULL
        UNION ALL
        SELECT 'sites' AS kind, assumeNotNull(retired) AS d FROM sites
        WHERE ({province:String} = '' OR province_code = {province:String}) AND retired IS NOT NULL
        UNION ALL
        SELECT 'models' AS kind, assumeNotNull(founded) AS d FROM models
        WHERE ({province:String} = '' OR province_code = {province:String}) AND founded IS NOT NULL
        UNION ALL
        SELECT DISTINCT 'grades' AS kind, makeDate(year - 1, 12, 15) AS d FROM grades
        WHERE {province:String} = '' OR province_code = {province:String}
    )
)
ORDER BY kind, half_month
