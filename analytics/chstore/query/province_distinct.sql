-- Figures of a province that do not add up over communes: distinct model
-- types among active sites, exemplary models.
SELECT
    (SELECT uniqExact(model_type) FROM sites FINAL
     WHERE ({province:String} = '' OR province_code = {province:String})
       AND (opened IS NULL OR opened < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})) AS model_types,
    (SELECT count() FROM models FINAL
     WHERE ({province:String} = '' OR province_code = {province:String}) AND exemplary = 1
       AND (founded IS NULL OR founded < {to:Date}) AND (retired IS NULL OR retired >= {to:Date})) AS exemplary
