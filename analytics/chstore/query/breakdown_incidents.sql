-- Incidents received in the window by category or outcome ({by} is a
-- whitelisted column name), from the mix aggregates when the window falls on
-- half-months and no commune is asked, else from the rows.
SELECT label, sum(n) AS n FROM (
    SELECT toString({by:Identifier}) AS label, sum(incidents) AS n
    FROM incidents_mix
    WHERE {aligned:UInt8} = 1 AND {commune:String} = ''
      AND ({province:String} = '' OR province_code = {province:String})
      AND half_month >= {from:Date} AND half_month < {to:Date}
    GROUP BY label
    UNION ALL
    SELECT toString({by:Identifier}) AS label, count() AS n
    FROM incidents FINAL
    WHERE NOT ({aligned:UInt8} = 1 AND {commune:String} = '')
      AND ({province:String} = '' OR province_code = {province:String})
      AND ({commune:String} = '' OR commune_code = {commune:String})
      AND received >= {from:Date} AND received < {to:Date}
      AND tip = 0
    GROUP BY label
)
GROUP BY label
ORDER BY n DESC, label
