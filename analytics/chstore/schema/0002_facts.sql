-- Fact tables. Each record has a stable key (record_key) and a content hash;
-- a correction is a new row with the same key and a higher version, so the
-- tables are ReplacingMergeTree(version) ordered by (province_code,
-- record_key). The ingest never inserts a row whose key and hash are already
-- stored, and reads use FINAL deliberately, so figures are right before
-- merges too. non_replicated_deduplication_window makes a retried batch
-- (same insert_deduplication_token) a no-op.
-- Every record keeps the place as written (source_place) beside the resolved
-- 2025 commune and the crosswalk rule used, for audit.

CREATE TABLE IF NOT EXISTS models (
    record_key    String,
    content_hash  UInt64,
    version       UInt64,
    source_id     String,
    name          String,
    model_type    LowCardinality(String),
    sector        LowCardinality(String),
    level         LowCardinality(String),
    host_unit     String,
    founded       Nullable(Date),
    retired       Nullable(Date),
    advanced      UInt8,
    exemplary     UInt8,
    province_code LowCardinality(String),
    commune_code  LowCardinality(String),
    source_place  String,
    resolve_rule  LowCardinality(String),
    confidence    Float32,
    split         UInt8,
    old_code      String,
    lon           Nullable(Float64),
    lat           Nullable(Float64),
    source_file   String,
    source_sheet  String,
    source_row    UInt32,
    extra         String
) ENGINE = ReplacingMergeTree(version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS sites (
    record_key    String,
    content_hash  UInt64,
    version       UInt64,
    source_id     String,
    model_key     String,
    model_name    String,
    model_type    LowCardinality(String),
    sector        LowCardinality(String),
    name          String,
    opened        Nullable(Date),
    retired       Nullable(Date),
    teams         UInt32,
    members       UInt32,
    province_code LowCardinality(String),
    commune_code  LowCardinality(String),
    source_place  String,
    resolve_rule  LowCardinality(String),
    confidence    Float32,
    split         UInt8,
    old_code      String,
    lon           Nullable(Float64),
    lat           Nullable(Float64),
    source_file   String,
    source_sheet  String,
    source_row    UInt32,
    extra         String
) ENGINE = ReplacingMergeTree(version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS grades (
    record_key    String,
    content_hash  UInt64,
    version       UInt64,
    site_key      String,
    year          UInt16,
    grade         LowCardinality(String),
    advanced      UInt8,
    province_code LowCardinality(String),
    commune_code  LowCardinality(String),
    source_place  String,
    resolve_rule  LowCardinality(String),
    confidence    Float32,
    split         UInt8,
    old_code      String,
    source_file   String,
    source_sheet  String,
    source_row    UInt32,
    extra         String
) ENGINE = ReplacingMergeTree(version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS incidents (
    record_key    String,
    content_hash  UInt64,
    version       UInt64,
    source_id     String,
    site_key      String,
    category      LowCardinality(String),
    received      Date,
    closed        Nullable(Date),
    outcome       LowCardinality(String),
    tip           UInt8,
    tip_useful    UInt8,
    province_code LowCardinality(String),
    commune_code  LowCardinality(String),
    source_place  String,
    resolve_rule  LowCardinality(String),
    confidence    Float32,
    split         UInt8,
    old_code      String,
    lon           Nullable(Float64),
    lat           Nullable(Float64),
    source_file   String,
    source_sheet  String,
    source_row    UInt32,
    extra         String
) ENGINE = ReplacingMergeTree(version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;
