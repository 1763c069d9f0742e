-- Active sites at the end of the window by model type or sector ({by} is a
-- whitelisted column name); one province, or all when province is ''.
SELECT toString({by:Identifier}) AS label, count() AS n
FROM sites FINAL
WHERE ({province:String} = '' OR province_code = {province:String})
  AND ({commune:String} = '' OR commune_code = {commune:String})
  AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
GROUP BY label
ORDER BY n DESC, label
