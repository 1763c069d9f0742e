-- Pre-aggregated incidents per 2025 commune and day, rebuilt per province
-- from incidents FINAL when an ingest commits (a staging table, then an
-- atomic REPLACE PARTITION), so corrections never double count. Map and
-- chart queries over millions of incidents read this table instead.

CREATE TABLE IF NOT EXISTS incidents_daily (
    province_code LowCardinality(String),
    commune_code  LowCardinality(String),
    day           Date,
    category      LowCardinality(String),
    outcome       LowCardinality(String),
    tip           UInt8,
    tip_useful    UInt8,
    incidents     SimpleAggregateFunction(sum, UInt64),
    closed        SimpleAggregateFunction(sum, UInt64),
    days_sum      SimpleAggregateFunction(sum, UInt64),
    days_quantile AggregateFunction(quantileTDigest, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY province_code
ORDER BY (province_code, commune_code, day, category, outcome, tip, tip_useful);

CREATE TABLE IF NOT EXISTS incidents_daily_stage AS incidents_daily;
