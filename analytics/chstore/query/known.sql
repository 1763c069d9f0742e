-- Content hashes of the keys already stored, to tell duplicates (same key,
-- same hash) from corrections (same key, new hash).
SELECT record_key, content_hash
FROM {table:Identifier} FINAL
WHERE record_key IN {keys:Array(String)}
