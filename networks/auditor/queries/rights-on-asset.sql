-- Every right granted on an asset (授予的数据权利), licences sold on the
-- market included, oldest first.
--   psql "$CONN" -v asset=a-3 -f networks/auditor/queries/rights-on-asset.sql
SELECT e.height, bt.time, e.tx_hash,
       e.attrs->>'right_id'  AS right_id,
       e.attrs->>'kind'      AS kind,
       e.attrs->>'party'     AS holder,
       e.attrs->>'grantor'   AS grantor,
       e.attrs->>'parent_id' AS parent_id,
       e.type = 'right_pending_approval' AS pending_approval
FROM ledger_events e
JOIN block_times bt ON bt.height = e.height AND bt.chain_id = e.chain_id
WHERE e.type IN ('right_granted', 'right_pending_approval')
  AND e.attrs->>'asset_id' = :'asset'
ORDER BY e.height, e.tx_index, e.event_id;
