-- Workload "delta": incidents received in the window [:from, :to) against
-- the comparison window [:cfrom, :cto), from the half-month aggregates; one
-- feature per commune with its served boundary, both values, the change
-- and its percent, and the rank. A window in which the province holds no
-- incident or tip gives no value (no_reports), and so does a commune that
-- received nothing in it, as the product's incident counts (their
-- denominator is "any incident or tip received": not_applicable, never a
-- zero; on the national demo dataset four communes of Hà Nội in 2022).
-- @PROVINCE@, @CPROVINCE@ and @GEO@: see sites.sql.
WITH cur AS (
    SELECT province_code, commune_code, sum(incidents) AS n, sum(incidents + tips) AS reported
    FROM incidents_hm
    WHERE @PROVINCE@ half_month >= :from::date AND half_month < :to::date
    GROUP BY province_code, commune_code
), cmp AS (
    SELECT province_code, commune_code, sum(incidents) AS n, sum(incidents + tips) AS reported
    FROM incidents_hm
    WHERE @PROVINCE@ half_month >= :cfrom::date AND half_month < :cto::date
    GROUP BY province_code, commune_code
), rcur AS (
    SELECT province_code FROM cur GROUP BY province_code HAVING sum(reported) > 0
), rcmp AS (
    SELECT province_code FROM cmp GROUP BY province_code HAVING sum(reported) > 0
), v AS (
    SELECT c.code, c.name, c.kind, c.@GEO@ AS geo,
           CASE WHEN rcur.province_code IS NOT NULL AND cur.commune_code IS NOT NULL THEN cur.n::float8 END AS value,
           CASE WHEN rcmp.province_code IS NOT NULL AND cmp.commune_code IS NOT NULL THEN cmp.n::float8 END AS value_compare
    FROM communes c
    LEFT JOIN cur ON cur.commune_code = c.code
    LEFT JOIN cmp ON cmp.commune_code = c.code
    LEFT JOIN rcur ON rcur.province_code = c.province_code
    LEFT JOIN rcmp ON rcmp.province_code = c.province_code
    WHERE @CPROVINCE@ true
), r AS (
    SELECT v.*, CASE WHEN value IS NOT NULL THEN rank() OVER (ORDER BY value DESC NULLS LAST) END AS rank FROM v
)
SELECT '{"type":"FeatureCollection","features":[' ||
       string_agg('{"type":"Feature","id":"' || code || '","geometry":' || coalesce(geo, 'null') || ',"properties":' ||
                  json_build_object('code', code, 'name', name, 'kind', kind, 'value', value, 'rank', rank,
                                    'value_compare', value_compare, 'delta', value - value_compare,
                                    'delta_pct', CASE WHEN value_compare <> 0 THEN round(((value - value_compare) / abs(value_compare) * 100)::numeric, 6) END)::text || '}',
                  ',' ORDER BY code) ||
       ']}'
FROM r;
