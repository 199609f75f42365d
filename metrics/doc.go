// Package metrics is the app's Prometheus metrics, served on the node's
// Prometheus endpoint beside CometBFT's own (instrumentation.prometheus =
// true in config.toml; the same listener and registry).
//
//	datarights_txs_total{msg_type, codespace, code}      txs executed in blocks, by message type and result
//	datarights_checktx_rejected_total{codespace, code}    txs refused by CheckTx, by reason
//	datarights_commit_duration_seconds                    time to save a block's state (histogram)
//	datarights_height                                     last committed height
//	datarights_state_keys                                 keys in the state tree at that height
//	datarights_rights_active{kind}                        active rights by kind (holding, use, operation)
//	datarights_queue_length{queue}                        end-of-block queues: rights_expiry, rights_cleanup,
//	                                                      registry_notice, authorization_expiry,
//	                                                      governance_deadline, governance_passed, market_expiry
//	datarights_state_measure_duration_seconds             time the last state measurement took
//
// The counters are updated as ABCI calls return; the state gauges are read
// from a committed version in the background, at most every
// MeasureInterval, so measuring never slows or changes consensus.
package metrics
