-- Records of one kind, as queries see them (one row per key).
SELECT count()
FROM {table:Identifier} FINAL
WHERE {province:String} = '' OR province_code = {province:String}
