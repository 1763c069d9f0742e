-- One model as stored, for audit and tests.
SELECT record_key, content_hash, source_id, name, model_type, sector, level, host_unit,
       founded, retired, advanced, exemplary, province_code, commune_code, source_place,
       resolve_rule, confidence, split, old_code, lon, lat, source_file, source_sheet, source_row, extra
FROM models FINAL
WHERE record_key = {key:String}
