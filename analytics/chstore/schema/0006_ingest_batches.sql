-- Every ingest run is a batch: each fact row carries the batch that wrote
-- it, so `antq batches undo` can remove exactly that batch's rows (a later
-- batch's corrections of the same records are rows of their own and stay).
-- Rows written before this migration have an empty batch_id. LowCardinality:
-- a load writes one value on all its rows, sent and stored as a dictionary.
ALTER TABLE models ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';
ALTER TABLE sites ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';
ALTER TABLE grades ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS batch_id LowCardinality(String) DEFAULT '';

-- The batch log: one 'load' event per run (who, when, the files with their
-- SHA-256, kinds, counts by outcome, provinces, context as JSON) and one
-- 'undo' event per undo. Append-only.
CREATE TABLE IF NOT EXISTS ingest_batches (
    batch_id  String,
    event     LowCardinality(String),
    at        DateTime64(3, 'UTC'),
    actor     String,
    files     String,
    kinds     Array(String),
    counts    String,
    provinces Array(String),
    context   String
) ENGINE = MergeTree
ORDER BY (batch_id, at);
