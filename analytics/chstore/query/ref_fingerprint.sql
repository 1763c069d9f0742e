-- The fingerprint of the reference data last loaded.
SELECT fingerprint
FROM ref_version
ORDER BY loaded_at DESC
LIMIT 1
