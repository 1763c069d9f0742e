-- Records of each kind that bear on a window, per province (the provinces
-- holding none are absent): models and sites founded or opened before the
-- window's end (or undated), grades of the police year it ends in
-- ({grade_year}), incidents and tips received within it; and, as "before",
-- those dated before it began (grades: earlier years). A province with none
-- of a kind has no value for the metrics read from it (no_reports).
-- Incidents come from the aggregates when the window falls on half-months
-- ({aligned} = 1; {agg} as in the metrics), else from the incidents.
-- Columns: province_code, kind, in_window, before.
SELECT province_code, 'models' AS kind,
       countIf(founded IS NULL OR founded < {to:Date}) AS in_window,
       countIf(founded IS NULL OR founded < {from:Date}) AS before
FROM models FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code
UNION ALL
SELECT province_code, 'sites' AS kind,
       countIf(opened IS NULL OR opened < {to:Date}) AS in_window,
       countIf(opened IS NULL OR opened < {from:Date}) AS before
FROM sites FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code
UNION ALL
SELECT province_code, 'grades' AS kind,
       countIf(year = {grade_year:UInt16}) AS in_window,
       countIf(year < {grade_year:UInt16}) AS before
FROM grades FINAL
WHERE {province:String} = '' OR province_code = {province:String}
GROUP BY province_code
UNION ALL
SELECT province_code, 'incidents' AS kind,
       sumIf(incidents + tips, half_month >= {from:Date} AND half_month < {to:Date}) AS in_window,
       sumIf(incidents + tips, half_month < {from:Date}) AS before
FROM {agg:Identifier}
WHERE {aligned:UInt8} = 1 AND ({province:String} = '' OR province_code = {province:String})
GROUP BY province_code
UNION ALL
SELECT province_code, 'incidents' AS kind,
       countIf(received >= {from:Date} AND received < {to:Date}) AS in_window,
       countIf(received < {from:Date}) AS before
FROM incidents FINAL
WHERE {aligned:UInt8} = 0 AND ({province:String} = '' OR province_code = {province:String})
GROUP BY province_code
