-- Marks provinces' incident aggregates stale (dirty = 1) or rebuilt (0).
INSERT INTO aggregates_dirty (province_code, dirty, at)
SELECT arrayJoin({provinces:Array(String)}), {dirty:UInt8}, now64(6, 'UTC')
