-- The RFM segment map of refresh {refresh_id}, within the account filters and the caller's scope,
-- in one scan: scored accounts and their lookback revenue (sum of monetary) per cell of the
-- R × FM grid (level 'cell'), per segment (level 'segment') and in total (level 'total').
-- Empty cells and segments have no row.
SELECT
    multiIf(grouping(r, fm) = 0, 'cell', grouping(rfm_segment) = 0, 'segment', 'total') AS level,
    r,
    fm,
    rfm_segment,
    count() AS accounts,
    toString(sum(monetary)) AS revenue
FROM
(
    SELECT assumeNotNull(r_score) AS r, assumeNotNull(fm_score) AS fm, rfm_segment, monetary
    FROM account_segments
    WHERE refresh_id = {refresh_id:String}
      AND rfm_segment != ''
      AND {{account-filter}}
)
GROUP BY GROUPING SETS ((r, fm, rfm_segment), (rfm_segment), ())
ORDER BY level, r, fm, rfm_segment
