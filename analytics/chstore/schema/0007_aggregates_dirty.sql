-- Provinces whose incident aggregates may be stale. A store writes a row
-- (dirty = 1) before the first incidents of a province it writes, and
-- another (dirty = 0) once Commit has rebuilt the province's aggregates; the
-- latest row of a province wins. A load killed between its writes and its
-- Commit leaves dirty = 1: Migrate, run at every start and by every ingest,
-- rebuilds those provinces, and StaleAggregates lists them until then.
CREATE TABLE IF NOT EXISTS aggregates_dirty (
    province_code String,
    dirty         UInt8,
    at            DateTime64(6, 'UTC')
) ENGINE = ReplacingMergeTree(at)
ORDER BY province_code;
