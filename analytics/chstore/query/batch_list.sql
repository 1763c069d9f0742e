-- The batch log, oldest first; undo events follow their batch's load.
SELECT batch_id, event, toUnixTimestamp64Milli(at), actor, files, kinds, counts, provinces, context
FROM ingest_batches
ORDER BY at, event
