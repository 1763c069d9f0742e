-- The peer tuned to its best (after the \copy of schema.sql's tables):
-- incidents pre-aggregated per commune and half-month (1st-14th, 15th-end,
-- as the product's incidents_agg) and clustered by date, sites clustered by
-- province with an index the queries read alone, boundaries as PostGIS
-- geometries beside their pre-encoded GeoJSON, statistics fresh.
UPDATE communes SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(coalesce(geo_province, geo_national)), 4326))
WHERE coalesce(geo_province, geo_national) IS NOT NULL;
CREATE INDEX communes_geom ON communes USING gist (geom);
CREATE INDEX communes_province ON communes (province_code, code);

CREATE TABLE incidents_hm AS
SELECT province_code,
       commune_code,
       CASE WHEN extract(day FROM received) < 15 THEN date_trunc('month', received)::date
            ELSE date_trunc('month', received)::date + 14 END AS half_month,
       count(*) FILTER (WHERE tip = 0) AS incidents,
       count(*) FILTER (WHERE tip = 0 AND outcome IN ('hòa giải thành', 'giải quyết tại cơ sở')) AS resolved_local,
       count(*) FILTER (WHERE tip = 1) AS tips
FROM incidents
GROUP BY 1, 2, 3;
CREATE INDEX incidents_hm_date ON incidents_hm (half_month, province_code, commune_code) INCLUDE (incidents, resolved_local, tips);
CLUSTER incidents_hm USING incidents_hm_date;
CREATE INDEX incidents_hm_province ON incidents_hm (province_code, half_month) INCLUDE (commune_code, incidents, resolved_local, tips);

CREATE INDEX sites_province ON sites (province_code, commune_code) INCLUDE (opened, retired);
CLUSTER sites USING sites_province;

VACUUM ANALYZE;
