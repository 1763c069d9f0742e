-- The columns of a table and their types, for an INSERT the store encodes
-- itself on the embedded engine (native.go): what the driver's batch reads
-- with DESCRIBE TABLE.
SELECT name, type
FROM system.columns
WHERE database = currentDatabase() AND table = {table:String}
