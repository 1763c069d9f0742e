-- Whether any loaded model, site or incident came from a file whose name
-- starts with the prefix (demo files: "demo_", shown as synthetic data).
SELECT
    (SELECT count() FROM (SELECT 1 FROM models WHERE startsWith(source_file, {prefix:String}) LIMIT 1))
  + (SELECT count() FROM (SELECT 1 FROM sites WHERE startsWith(source_file, {prefix:String}) LIMIT 1))
  + (SELECT count() FROM (SELECT 1 FROM incidents WHERE startsWith(source_file, {prefix:String}) LIMIT 1))
