-- The database of an auditor's SQL node (审计 SQL 节点).
--
-- CometBFT's PostgreSQL event sink ([tx_index] indexer = "psql") writes
-- every block's events into the four tables below; their names and
-- columns are what the sink inserts into (cometbft v0.40, state/indexer/
-- sink/psql). Only attributes marked for indexing reach the database; the
-- ledger marks every id, party, amount and kind an auditor searches by.
--
-- The views after them are ours: one row per event with its attributes as
-- JSON, and the time of every block (the ledger's own "block" event: the
-- sink's created_at is when the row was written, not when the block was
-- made). The queries in queries/ use the views.
--
--   psql "$CONN" -v ON_ERROR_STOP=1 -f networks/auditor/schema.sql

CREATE TABLE blocks (
  rowid      BIGSERIAL PRIMARY KEY,
  height     BIGINT NOT NULL,
  chain_id   VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (height, chain_id)
);

CREATE TABLE tx_results (
  rowid      BIGSERIAL PRIMARY KEY,
  block_id   BIGINT NOT NULL REFERENCES blocks(rowid),
  index      INTEGER NOT NULL,          -- the tx's position in its block
  created_at TIMESTAMPTZ NOT NULL,
  tx_hash    VARCHAR NOT NULL,          -- upper-case hex, as `query tx` takes it
  tx_result  BYTEA NOT NULL,            -- the protobuf TxResult
  UNIQUE (block_id, index)
);

CREATE TABLE events (
  rowid    BIGSERIAL PRIMARY KEY,
  block_id BIGINT NOT NULL REFERENCES blocks(rowid),
  tx_id    BIGINT NULL REFERENCES tx_results(rowid),  -- NULL: a block event
  type     VARCHAR NOT NULL
);

CREATE TABLE attributes (
  event_id      BIGINT NOT NULL REFERENCES events(rowid),
  key           VARCHAR NOT NULL,
  composite_key VARCHAR NOT NULL,       -- type.key
  value         VARCHAR NULL,
  UNIQUE (event_id, key)
);

CREATE INDEX events_block ON events (block_id);
CREATE INDEX events_type ON events (type);
CREATE INDEX attributes_key_value ON attributes (key, value);
CREATE INDEX tx_results_hash ON tx_results (tx_hash);

-- ledger_events: one row per event, its attributes as JSON.
CREATE VIEW ledger_events AS
SELECT e.rowid AS event_id, b.height, b.chain_id, t.tx_hash, t.index AS tx_index, e.type,
       COALESCE(jsonb_object_agg(a.key, a.value) FILTER (WHERE a.key IS NOT NULL), '{}'::jsonb) AS attrs
FROM events e
JOIN blocks b ON b.rowid = e.block_id
LEFT JOIN tx_results t ON t.rowid = e.tx_id
LEFT JOIN attributes a ON a.event_id = e.rowid
GROUP BY e.rowid, b.height, b.chain_id, t.tx_hash, t.index, e.type;

-- block_times: when each block was made (its header time).
CREATE VIEW block_times AS
SELECT b.height, b.chain_id, a.value::timestamptz AS time
FROM events e
JOIN blocks b ON b.rowid = e.block_id
JOIN attributes a ON a.event_id = e.rowid AND a.key = 'time'
WHERE e.type = 'block' AND e.tx_id IS NULL;
