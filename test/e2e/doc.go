// Package e2e holds the end-to-end tests of datarights: real
// `datarightsd start` processes on loopback, driven only the way an operator
// or a client would drive them, through the datarightsd command line and
// CometBFT's RPC over HTTP. Nothing is mocked and no package of the node is
// called in process.
//
// # What runs
//
// TestMain (e2e.Main) copies the checkout's source (the files `git
// ls-files` lists, tracked or not ignored) into a temporary directory and
// builds ./cmd/datarightsd there once per test binary run, with `go build
// -o`: every test, and the scripts a test runs from SourceDir, see one
// consistent tree even while files are being edited. Each test then starts
// its own network with StartNetwork(t, n), which
//
//   - picks a free range of loopback ports in 20000-32000 (probed with
//     net.Listen and reserved with flock on $TMPDIR/datarights-e2e-ports-P.lock,
//     so that concurrent runs do not clash; node i uses P+10i for p2p and
//     P+10i+1 for RPC),
//   - generates the homes with `datarightsd testnet --departments n
//     --starting-port P` in t.TempDir(),
//   - starts one `datarightsd start --home` process per department, its
//     output appended to <dir>/<moniker>.log, and waits until every node has
//     committed height 2.
//
// StartNetworkManifest(t, path, n) does the same from a network manifest
// (the format of networks/local/manifest.toml, e.g. one the test writes into
// its temp dir) with `datarightsd testnet --manifest path`: the manifest
// chooses the departments, their roles, timeout_commit and the registry's
// notice_period; the harness still chooses the ports and the chain id.
//
// Stop (SIGTERM, then SIGKILL after a grace period) is registered with
// t.Cleanup, so no node outlives its test, even one that fails; the last
// lines of every node's log are printed when a test failed. On Linux the
// nodes also get SIGKILL from the kernel if the test binary itself dies
// (e.g. on a `go test -timeout` panic, which skips cleanups).
//
// The harness (network.go) gives a test: CLI and CLIJSON (the binary with
// --keyring-backend test, and -o json decoded), Tx (a tx signed by node i's
// department key "cdo" and sent to node i), AddKey and AddKeyAt (a key in
// KeysHome or in a given home), Kill (SIGKILL), Restart, StopNode, Stop,
// Status (with the node id and the node's validator key and power),
// WaitHeight, BlockAt, AppHashAt (the header app hash of block h+1),
// ValidatorsAt (/validators?height=h), CommitAt (/commit?height=h: the
// signatures and their block id flags), ABCIQuery, Nonce, and proof helpers
// for /store/key answers (VerifyStoreProof, OnlyLeafChanged). Every wait is
// bounded by MaxWait (60 s) and a network's whole life by Budget (4 min): a
// stuck network fails a test, it never hangs it.
//
// AddNode(moniker) joins one more node to a running network the way an
// operator would: `datarightsd init MONIKER --chain-id` in Dir/MONIKER,
// node 0's genesis.json copied over it, and its config.toml edited in place
// (EditTOML) for loopback like the generated nodes': p2p and RPC on the next
// ports of the network's reserved range (or a newly reserved one),
// persistent_peers = every running node's id@127.0.0.1:port with the ids
// read from /status, pex off, allow_duplicate_ip, addr_book_strict off and
// node 0's timeout_commit. It starts the node (a full node, which block-syncs
// from its peers) and returns its index, which every other helper takes;
// Stop stops it with the others. PrepareNode and StartNode are its two
// halves, for a test that registers the node's id on chain or edits its
// config (state sync) before it starts.
//
// StartNetworkOptions takes Options: Genesis edits every node's
// genesis.json before the first start; Netns runs each node in its own
// network namespace on a private bridge (netns.go; root and iproute2),
// where Cut(i...) and Heal(i...) partition nodes with blackhole routes
// while the test still reaches every RPC. RequireNetns skips a test without
// root or ip, except under CI=true.
//
// # Tests
//
//   - TestKillUnderLoad: loadgen's mixed workload to node 0 while nodes
//     1-3 are killed with SIGKILL in turn (-faults.duration, -faults.every,
//     -faults.rate); 0 acked txs lost, identical hashes at every height.
//   - TestPartitions: in network namespaces, 2 of 4 cut (no new height, then
//     resumes), then 1 of 4 cut under load -faults.cuts times.
//   - TestValidatorChangeUnderLoad: the mixed workload to node 0 of 4
//     while a fifth node is registered (add-node-id), block-syncs, is
//     admitted as a department with its validator key (add-department),
//     is in /validators from the passing block + 2 and signs 3
//     consecutive commits, then is removed (remove-department): gone
//     from the set at + 2, no slot in 5 commits, the chain goes on
//     (-faults.valset.rounds times, a new node each; the load lasts
//     -faults.valset.duration); 0 acked txs lost, identical hashes at
//     every height on all 5 nodes.
//   - TestSpamUnderLoad: the mixed workload to node 0 at -faults.rate, alone
//     for -spam.baseline, then for -spam.duration beside -spam.factor (10)
//     times as many invalid-signature txs (loadgen.Spam: another key,
//     high-S, truncated, garbage, bad v, each naming an honest signer) and
//     -spam.queries maximum-size queries a second, all to node 0: honest
//     committed tx/s (from block headers) under spam at least 80% of the
//     baseline, no block gap over 30 s, node 0's RSS within twice that of
//     nodes 1-3 (same blocks, no spam) and every node's under 1.5 GiB,
//     every spam tx refused by CheckTx and none in a block, nothing acked
//     lost, identical hashes.
//   - TestNetworkPermissioning: a fifth node with an unregistered node id is
//     refused by all four validators (filter_peers); after an add-node-id
//     proposal it connects and syncs to node 0's app hash; after
//     remove-node-id every validator drops it and it stops following.
//   - TestStateSync: a network with 60 ms blocks and a snapshot every 50
//     heights runs past height 200; a registered new node joins with state
//     sync from a trusted height and hash, its block store begins at a
//     snapshot, it ends on node 0's app hash and proves a party registered
//     at the start with a verified proof.
//   - TestMetrics: /metrics of a real node carries the app's metrics beside
//     CometBFT's, counting a registration, a refused one, a CheckTx refusal,
//     commits, the state size and the queues.
//   - TestNetworkEndToEnd: 4 departments; a party registered with the CLI is
//     read back with a verified proof from another node; a rejected tx (the
//     same party again) exits non-zero with identity code 6 and changes
//     nothing but its signer's nonce (shown with proofs that the nonce is the
//     only leaf of the state tree that changed); CLI input errors exit
//     non-zero without sending anything; a node killed with SIGKILL while
//     the others commit more txs restarts, catches up, and agrees with the
//     others on the block and app hash, and proves the latest party.
//   - TestRightsEndToEnd: 4 departments from a manifest with a 5 s notice
//     period. A public dataset is certified by end-block processing (proven
//     from node 3, with its certificate); a use right is granted to an
//     enterprise and used; uses outside the scope are rejected (rights code
//     25) and leave the usage list unchanged; after revocation the same use,
//     sent through each of the four nodes, is rejected by each with rights
//     code 10, and all four prove the same revoked right at one height; a
//     three-level sublicensing chain is revoked by one tx revoking its top
//     (one status height); an 8 s right is used, then expires with no tx
//     sent, and a later use is rejected; the four nodes end on one app hash.
//     Rejected uses are committed: CheckTx checks only the envelope, signer
//     and nonce, so the module's check runs in the block.
//   - TestGovernanceEndToEnd: 4 departments, and a fifth node added with
//     AddNode once the chain is at height 8, which block-syncs (and agrees
//     on the app hash after an enterprise's registration). Department 0
//     proposes add-department with the new node's priv_validator_key.json;
//     2 yes of 4 leave it voting a block later, the 3rd executes it at the
//     end of that block (5 departments). /validators has the new validator
//     from that block + 2, not + 1, and its address (sha256 of its key, as
//     /status shows it) signs canonical commits at 3 consecutive heights.
//     The new department proposes, through its own node, its auditor role
//     and votes for it; department 3 votes no, then yes: 3 yes of 5 do not
//     pass, the replacing 4th does, and the votes list one yes of
//     department 3. A remove-department proposal passes with 4 yes of 5;
//     the validator is still in the set at that block + 1, gone from + 2,
//     and absent from 5 commits from there; the party is suspended and 4
//     departments remain. An enterprise's proposal and vote are committed
//     and rejected with governance code 8 (exit 1); the removed
//     department's tx is refused at CheckTx with identity code 11. All five
//     nodes, the removed one still running as a full node, end on one
//     block and app hash.
//   - TestLocalnetScript: scripts/localnet.sh start and stop in a temporary
//     directory. It uses the script's fixed ports (26600-26631) and skips
//     itself when they are busy.
//
// # Running
//
//	go test ./test/e2e/ -v -count=1 -timeout 10m
//
// The package takes 130-200 s on two cores (TestGovernanceEndToEnd about
// 55 s of it), 15-50 s of it building the binary (and the script builds its
// own once more); TestSpamUnderLoad adds about 90 s. `go test -short` skips it
// (and builds nothing), so `go test -short ./...` stays fast. Set
// DATARIGHTS_E2E_KEEP=1 to keep each network's directory (homes, logs,
// keys) after the test; its path is logged. The tests need only the Go
// toolchain, loopback networking and, for TestLocalnetScript, bash and curl.
//
// # Writing a new test
//
// Add a _test.go file to this package (TestMain is already here):
//
//	func TestSomething(t *testing.T) {
//		nw := StartNetwork(t, 4)
//		res, _, _, err := nw.Tx(0, "identity", "register-party", addr, "--kind", "individual", "--name", "N")
//		...
//		nw.WaitHeight(3, res.Height)
//		_, _, err = nw.CLIJSON(&out, "query", "identity", "party", addr, "--prove", "--node", nw.Nodes[3].RPC)
//	}
package e2e
