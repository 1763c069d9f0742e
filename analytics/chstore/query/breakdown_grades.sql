-- Site grades in one police year.
SELECT toString(grade) AS label, count() AS n
FROM grades FINAL
WHERE ({province:String} = '' OR province_code = {province:String})
  AND ({commune:String} = '' OR commune_code = {commune:String})
  AND year = {grade_year:UInt16}
GROUP BY label
ORDER BY n DESC, label
