-- The PostGIS peer of `make bench-peer` (deploy/bench-peer.sh): the same
-- restated rows as the product (antq export-rows) and the same served
-- geometry (the product's own map responses), loaded by the script with
-- \copy into these tables.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Every 2025 commune: its province, name and kind as the map names them,
-- and its boundary as the product serves it, pre-encoded GeoJSON text: at
-- the province maps' level (geo_province, for the benchmarked provinces)
-- and the national map's (geo_national). geom is the same boundary as a
-- PostGIS geometry (built by build.sql).
CREATE TABLE communes (
    code          text PRIMARY KEY,
    province_code text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL,
    geo_province  text,
    geo_national  text,
    geom          geometry(MultiPolygon, 4326)
);

-- The rows, as `antq export-rows` writes them (FINAL, restated).
CREATE TABLE sites (
    province_code text NOT NULL,
    commune_code  text NOT NULL,
    opened        date,
    retired       date
);

CREATE TABLE incidents (
    province_code text NOT NULL,
    commune_code  text NOT NULL,
    received      date NOT NULL,
    closed        date,
    outcome       text NOT NULL,
    tip           smallint NOT NULL,
    tip_useful    smallint NOT NULL
);
