CREATE TABLE IF NOT EXISTS schema_migrations_local ON CLUSTER `antq` (
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime DEFAULT now()
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY version;

CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER `antq` AS schema_migrations_local
ENGINE = Distributed('antq', 'antq', schema_migrations_local, rand());

CREATE TABLE IF NOT EXISTS ref_version_local ON CLUSTER `antq` (
    fingerprint String,
    loaded_at   DateTime64(6) DEFAULT now64(6)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', loaded_at)
ORDER BY tuple();

CREATE TABLE IF NOT EXISTS ref_version ON CLUSTER `antq` AS ref_version_local
ENGINE = Distributed('antq', 'antq', ref_version_local, rand());

CREATE TABLE IF NOT EXISTS ref_provinces_local ON CLUSTER `antq` (
    code          LowCardinality(String),
    name          String,
    area_km2      Float64,
    population    Nullable(UInt64),
    communes      UInt16,
    before_merger String
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY code;

CREATE TABLE IF NOT EXISTS ref_provinces ON CLUSTER `antq` AS ref_provinces_local
ENGINE = Distributed('antq', 'antq', ref_provinces_local, rand());

CREATE TABLE IF NOT EXISTS ref_communes_local ON CLUSTER `antq` (
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
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (province_code, code);

CREATE TABLE IF NOT EXISTS ref_communes ON CLUSTER `antq` AS ref_communes_local
ENGINE = Distributed('antq', 'antq', ref_communes_local, rand());

CREATE TABLE IF NOT EXISTS ref_old_units_local ON CLUSTER `antq` (
    code          String,
    name          String,
    district      String,
    province      String,
    province_code LowCardinality(String)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (province_code, code, name, district);

CREATE TABLE IF NOT EXISTS ref_old_units ON CLUSTER `antq` AS ref_old_units_local
ENGINE = Distributed('antq', 'antq', ref_old_units_local, rand());

CREATE TABLE IF NOT EXISTS ref_crosswalk_local ON CLUSTER `antq` (
    old_code          String,
    old_name          String,
    old_district      String,
    old_province      String,
    new_code          String,
    new_province_code LowCardinality(String),
    share             Float64,
    split             UInt8,
    rule              LowCardinality(String)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (new_province_code, new_code, old_code, old_name, old_district);

CREATE TABLE IF NOT EXISTS ref_crosswalk ON CLUSTER `antq` AS ref_crosswalk_local
ENGINE = Distributed('antq', 'antq', ref_crosswalk_local, rand());

CREATE TABLE IF NOT EXISTS models_local ON CLUSTER `antq` (
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
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS models ON CLUSTER `antq` AS models_local
ENGINE = Distributed('antq', 'antq', models_local, cityHash64(record_key));

CREATE TABLE IF NOT EXISTS sites_local ON CLUSTER `antq` (
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
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS sites ON CLUSTER `antq` AS sites_local
ENGINE = Distributed('antq', 'antq', sites_local, cityHash64(record_key));

CREATE TABLE IF NOT EXISTS grades_local ON CLUSTER `antq` (
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
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS grades ON CLUSTER `antq` AS grades_local
ENGINE = Distributed('antq', 'antq', grades_local, cityHash64(record_key));

CREATE TABLE IF NOT EXISTS incidents_local ON CLUSTER `antq` (
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
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version)
PARTITION BY province_code
ORDER BY (province_code, record_key)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS incidents ON CLUSTER `antq` AS incidents_local
ENGINE = Distributed('antq', 'antq', incidents_local, cityHash64(record_key));

CREATE TABLE IF NOT EXISTS incidents_agg_local ON CLUSTER `antq` (
    province_code       LowCardinality(String),
    commune_code        LowCardinality(String),
    half_month          Date,
    incidents           SimpleAggregateFunction(sum, UInt64),
    closed              SimpleAggregateFunction(sum, UInt64),
    resolved_local      SimpleAggregateFunction(sum, UInt64),
    mediated            SimpleAggregateFunction(sum, UInt64),
    mediation_concluded SimpleAggregateFunction(sum, UInt64),
    pending             SimpleAggregateFunction(sum, UInt64),
    tips                SimpleAggregateFunction(sum, UInt64),
    tips_useful         SimpleAggregateFunction(sum, UInt64),
    days_sum            SimpleAggregateFunction(sum, UInt64),
    days_quantile       AggregateFunction(quantileTDigest, UInt32)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY province_code
ORDER BY (province_code, half_month, commune_code);

CREATE TABLE IF NOT EXISTS incidents_agg ON CLUSTER `antq` AS incidents_agg_local
ENGINE = Distributed('antq', 'antq', incidents_agg_local, rand());

CREATE TABLE IF NOT EXISTS incidents_agg_stage_local ON CLUSTER `antq` AS incidents_agg_local;

CREATE TABLE IF NOT EXISTS incidents_agg_stage ON CLUSTER `antq` AS incidents_agg_stage_local
ENGINE = Distributed('antq', 'antq', incidents_agg_stage_local, rand());

CREATE TABLE IF NOT EXISTS incidents_mix_local ON CLUSTER `antq` (
    province_code LowCardinality(String),
    half_month    Date,
    category      LowCardinality(String),
    outcome       LowCardinality(String),
    incidents     SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY province_code
ORDER BY (province_code, half_month, category, outcome);

CREATE TABLE IF NOT EXISTS incidents_mix ON CLUSTER `antq` AS incidents_mix_local
ENGINE = Distributed('antq', 'antq', incidents_mix_local, rand());

CREATE TABLE IF NOT EXISTS incidents_mix_stage_local ON CLUSTER `antq` AS incidents_mix_local;

CREATE TABLE IF NOT EXISTS incidents_mix_stage ON CLUSTER `antq` AS incidents_mix_stage_local
ENGINE = Distributed('antq', 'antq', incidents_mix_stage_local, rand());

CREATE TABLE IF NOT EXISTS incidents_agg_all_local ON CLUSTER `antq` (
    province_code       LowCardinality(String),
    commune_code        LowCardinality(String),
    half_month          Date,
    incidents           SimpleAggregateFunction(sum, UInt64),
    closed              SimpleAggregateFunction(sum, UInt64),
    resolved_local      SimpleAggregateFunction(sum, UInt64),
    mediated            SimpleAggregateFunction(sum, UInt64),
    mediation_concluded SimpleAggregateFunction(sum, UInt64),
    pending             SimpleAggregateFunction(sum, UInt64),
    tips                SimpleAggregateFunction(sum, UInt64),
    tips_useful         SimpleAggregateFunction(sum, UInt64),
    days_sum            SimpleAggregateFunction(sum, UInt64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (half_month, province_code, commune_code);

CREATE TABLE IF NOT EXISTS incidents_agg_all ON CLUSTER `antq` AS incidents_agg_all_local
ENGINE = Distributed('antq', 'antq', incidents_agg_all_local, rand());

CREATE TABLE IF NOT EXISTS incidents_agg_all_stage_local ON CLUSTER `antq` AS incidents_agg_all_local;

CREATE TABLE IF NOT EXISTS incidents_agg_all_stage ON CLUSTER `antq` AS incidents_agg_all_stage_local
ENGINE = Distributed('antq', 'antq', incidents_agg_all_stage_local, rand());

INSERT INTO incidents_agg_all
SELECT province_code, commune_code, half_month, incidents, closed, resolved_local, mediated,
       mediation_concluded, pending, tips, tips_useful, days_sum
FROM incidents_agg;

ALTER TABLE models_local ON CLUSTER `antq` MODIFY SETTING min_bytes_for_wide_part = 67108864;

ALTER TABLE sites_local ON CLUSTER `antq` MODIFY SETTING min_bytes_for_wide_part = 67108864;

ALTER TABLE grades_local ON CLUSTER `antq` MODIFY SETTING min_bytes_for_wide_part = 67108864;

ALTER TABLE incidents_local ON CLUSTER `antq` MODIFY SETTING min_bytes_for_wide_part = 67108864;

ALTER TABLE models_local ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE models ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE sites_local ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE sites ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE grades_local ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE grades ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE incidents_local ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

ALTER TABLE incidents ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

CREATE TABLE IF NOT EXISTS ingest_batches_local ON CLUSTER `antq` (
    batch_id  String,
    event     LowCardinality(String),
    at        DateTime64(3, 'UTC'),
    actor     String,
    files     String,
    kinds     Array(String),
    counts    String,
    provinces Array(String),
    context   String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (batch_id, at);

CREATE TABLE IF NOT EXISTS ingest_batches ON CLUSTER `antq` AS ingest_batches_local
ENGINE = Distributed('antq', 'antq', ingest_batches_local, rand());

CREATE TABLE IF NOT EXISTS aggregates_dirty_local ON CLUSTER `antq` (
    province_code String,
    dirty         UInt8,
    at            DateTime64(6, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', at)
ORDER BY province_code;

CREATE TABLE IF NOT EXISTS aggregates_dirty ON CLUSTER `antq` AS aggregates_dirty_local
ENGINE = Distributed('antq', 'antq', aggregates_dirty_local, rand());

ALTER TABLE sites_local ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS x UInt8;

ALTER TABLE sites ON CLUSTER `antq` ADD COLUMN IF NOT EXISTS x UInt8;

