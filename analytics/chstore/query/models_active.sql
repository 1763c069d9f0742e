-- Models active at the end of the window in a province or commune.
SELECT record_key, name, model_type, sector, level, host_unit, commune_code, founded, advanced, exemplary,
       source_place, resolve_rule
FROM models FINAL
WHERE ({province:String} = '' OR province_code = {province:String})
  AND ({commune:String} = '' OR commune_code = {commune:String})
  AND (founded IS NULL OR founded < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
ORDER BY exemplary DESC, advanced DESC, name
LIMIT {limit:UInt32}
