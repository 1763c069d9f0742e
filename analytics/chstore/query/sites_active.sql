-- Sites active at the end of the window, with their points, for maps and
-- lists; optional filters by model type, sector and commune.
SELECT record_key, name, model_name, model_type, sector, commune_code, province_code,
       opened, lon, lat, source_place, resolve_rule, split
FROM sites FINAL
WHERE ({province:String} = '' OR province_code = {province:String})
  AND ({commune:String} = '' OR commune_code = {commune:String})
  AND ({model_type:String} = '' OR model_type = {model_type:String})
  AND ({sector:String} = '' OR sector = {sector:String})
  AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
ORDER BY commune_code, record_key
LIMIT {limit:UInt32}
