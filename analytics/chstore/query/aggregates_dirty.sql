-- Provinces whose incident aggregates are stale: written to, not committed
-- since. The latest marker of a province wins; argMax rather than FINAL, so
-- that markers spread over the shards of a cluster are compared too.
SELECT province_code
FROM aggregates_dirty
GROUP BY province_code
HAVING argMax(dirty, at) = 1
ORDER BY province_code
