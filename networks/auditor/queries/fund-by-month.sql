-- Revenue to the public service fund (反哺公共服务) per month, by kind:
-- the public levy on sales of public data and of products derived from
-- it, and the public-service share of authorisations' terms.
--   psql "$CONN" -f networks/auditor/queries/fund-by-month.sql
SELECT to_char(date_trunc('month', bt.time AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS month,
       e.attrs->>'kind' AS kind,
       count(*)         AS lines,
       sum((e.attrs->>'amount_fen')::numeric) AS amount_fen
FROM ledger_events e
JOIN block_times bt ON bt.height = e.height AND bt.chain_id = e.chain_id
WHERE e.type = 'revenue_line'
  AND e.attrs->>'beneficiary' = '0x9D1490171fCf5cb385F2eFA4161ae3056BeF9058'
GROUP BY 1, 2
ORDER BY 1, 2;
