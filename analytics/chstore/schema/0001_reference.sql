-- Reference tables: the 2025 provinces and communes, the pre-2025 units and
-- the repaired old->new crosswalk. Reloaded whole from the reference bundle
-- when its fingerprint changes (table ref_version), so SQL can join on codes.

CREATE TABLE IF NOT EXISTS ref_version (
    fingerprint String,
    loaded_at   DateTime64(6) DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY tuple();

CREATE TABLE IF NOT EXISTS ref_provinces (
    code          LowCardinality(String),
    name          String,
    area_km2      Float64,
    population    Nullable(UInt64),
    communes      UInt16,
    before_merger String
) ENGINE = ReplacingMergeTree
ORDER BY code;

CREATE TABLE IF NOT EXISTS ref_communes (
    code            String,
    province_code   LowCardinality(String),
    full_name       String,
    name            String,
    kind            LowCardinality(String),
    area_km2        Float64,
    population      Nullable(UInt32),
    population_flag LowCardinality(String),
    center_lon      Float64,
    center_lat      Float64,
    former_units    String
) ENGINE = ReplacingMergeTree
ORDER BY (province_code, code);

CREATE TABLE IF NOT EXISTS ref_old_units (
    code          String,
    name          String,
    district      String,
    province      String,
    province_code LowCardinality(String)
) ENGINE = ReplacingMergeTree
ORDER BY (province_code, code, name, district);

CREATE TABLE IF NOT EXISTS ref_crosswalk (
    old_code          String,
    old_name          String,
    old_district      String,
    old_province      String,
    new_code          String,
    new_province_code LowCardinality(String),
    share             Float64,
    split             UInt8,
    rule              LowCardinality(String)
) ENGINE = ReplacingMergeTree
ORDER BY (new_province_code, new_code, old_code, old_name, old_district);
