-- Workload "resolution rate": resolved at the grassroots ÷ incidents
-- received in the window [:from, :to), in percent, from the half-month
-- aggregates; one feature per commune with its served boundary, value and
-- rank. No value when the province holds no incident or tip in the window
-- (no_reports) or the commune received no incident (not_applicable).
-- @PROVINCE@, @CPROVINCE@ and @GEO@: see sites.sql.
WITH w AS (
    SELECT province_code, commune_code, sum(resolved_local) AS num, sum(incidents) AS den, sum(incidents + tips) AS reported
    FROM incidents_hm
    WHERE @PROVINCE@ half_month >= :from::date AND half_month < :to::date
    GROUP BY province_code, commune_code
), rep AS (
    SELECT province_code FROM w GROUP BY province_code HAVING sum(reported) > 0
), v AS (
    SELECT c.code, c.name, c.kind, c.@GEO@ AS geo,
           CASE WHEN rep.province_code IS NOT NULL AND w.den > 0 THEN round(100.0 * w.num / w.den, 6)::float8 END AS value
    FROM communes c
    LEFT JOIN w ON w.commune_code = c.code
    LEFT JOIN rep ON rep.province_code = c.province_code
    WHERE @CPROVINCE@ true
), r AS (
    SELECT v.*, CASE WHEN value IS NOT NULL THEN rank() OVER (ORDER BY value DESC NULLS LAST) END AS rank FROM v
)
SELECT '{"type":"FeatureCollection","features":[' ||
       string_agg('{"type":"Feature","id":"' || code || '","geometry":' || coalesce(geo, 'null') || ',"properties":' ||
                  json_build_object('code', code, 'name', name, 'kind', kind, 'value', value, 'rank', rank)::text || '}', ',' ORDER BY code) ||
       ']}'
FROM r;
