-- Every trade a party took part in (交易), as buyer or seller, oldest first.
--   psql "$CONN" -v party=0x... -f networks/auditor/queries/trades-of-party.sql
SELECT e.height, bt.time, e.tx_hash,
       e.attrs->>'trade_id'   AS trade_id,
       e.attrs->>'asset_id'   AS asset_id,
       e.attrs->>'listing_id' AS listing_id,
       e.attrs->>'bid_id'     AS bid_id,
       CASE WHEN e.attrs->>'buyer' = :'party' THEN 'buyer' ELSE 'seller' END AS side,
       e.attrs->>'buyer'  AS buyer,
       e.attrs->>'seller' AS seller,
       (e.attrs->>'amount_fen')::numeric AS amount_fen
FROM ledger_events e
JOIN block_times bt ON bt.height = e.height AND bt.chain_id = e.chain_id
WHERE e.type = 'traded'
  AND (e.attrs->>'buyer' = :'party' OR e.attrs->>'seller' = :'party')
ORDER BY e.height, e.tx_index;
