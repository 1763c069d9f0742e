-- Provinces holding at least one record of a kind (the ingest skips key
-- look-ups in the others). The table is partitioned by province, so this
-- reads one small column.
SELECT DISTINCT province_code
FROM {table:Identifier}
