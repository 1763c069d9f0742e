-- Group figure of metric model_types: distinct model types among the sites active at the end of the window
-- Generated from the catalogue (analytics.Metrics) by chstore; do not edit.
-- Column: num (the province's or the country's figure).
SELECT toFloat64(num) AS num
FROM (
    SELECT uniqExact(model_type) AS num
    FROM sites FINAL
    WHERE ({province:String} = '' OR province_code = {province:String})
      AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})
)
