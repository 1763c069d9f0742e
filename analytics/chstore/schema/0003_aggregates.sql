-- Pre-aggregated incidents per 2025 commune and half-month (the 1st-14th and
-- the 15th-end of each month). Police months (15th to 14th) and calendar
-- months are both unions of half-months, so every police or calendar year,
-- half, quarter and month reads at most a few dozen rows per commune here
-- instead of every incident. Rebuilt per province from incidents FINAL when
-- an ingest commits (into a staging table, then an atomic REPLACE
-- PARTITION), so corrections never double count.

CREATE TABLE IF NOT EXISTS incidents_agg (
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
    -- days to close, for medians; national medians read ~80k states (~0.1 s
    -- on 2 cores), so only the median metric asks for it.
    days_quantile       AggregateFunction(quantileTDigest, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY province_code
ORDER BY (province_code, half_month, commune_code);

CREATE TABLE IF NOT EXISTS incidents_agg_stage AS incidents_agg;

-- The same per province, half-month, category and outcome, for breakdowns.
CREATE TABLE IF NOT EXISTS incidents_mix (
    province_code LowCardinality(String),
    half_month    Date,
    category      LowCardinality(String),
    outcome       LowCardinality(String),
    incidents     SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY province_code
ORDER BY (province_code, half_month, category, outcome);

CREATE TABLE IF NOT EXISTS incidents_mix_stage AS incidents_mix;
