-- Workload "sites": the choropleth of sites active at the end of the window
-- (:to, the day after its last), one feature per commune with its served
-- boundary (pre-encoded), value and rank. A province that holds no site
-- opened by then has no value (null, as the product's no_reports).
-- @PROVINCE@, @CPROVINCE@ and @GEO@ are set by deploy/bench-peer.sh: for a
-- province's map "province_code = :p AND", "c.province_code = :p AND" and
-- geo_province; for the country's nothing, nothing and geo_national.
WITH f AS (
    SELECT commune_code, count(*) AS n
    FROM sites
    WHERE @PROVINCE@ (opened IS NULL OR opened < :to::date) AND (retired IS NULL OR retired >= :to::date)
    GROUP BY commune_code
), rep AS (
    SELECT DISTINCT province_code FROM sites WHERE @PROVINCE@ (opened IS NULL OR opened < :to::date)
), v AS (
    SELECT c.code, c.name, c.kind, c.@GEO@ AS geo,
           CASE WHEN rep.province_code IS NOT NULL THEN coalesce(f.n, 0)::float8 END AS value
    FROM communes c
    LEFT JOIN f ON f.commune_code = c.code
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
