// Package apptest drives the datarights app in tests the way CometBFT would,
// without a node: InitChain, then blocks of FinalizeBlock and Commit at
// heights 1, 2, 3... with block times one second apart from StartTime.
//
// Everything it makes is deterministic, so two drivers fed the same blocks
// must reach the same app hashes:
//
//	keys := apptest.Keys(3, "my-test")
//	d := apptest.New(t)
//	d.InitChain(apptest.Genesis(
//		apptest.Department(keys[0], 1, 10, idtypes.Role_ROLE_DATA_ADMIN),
//		apptest.Department(keys[1], 2, 10),
//	))
//	res := d.Block(d.Sign(keys[0], 0, msg))
//
// Keys derives secp256k1 keys from a seed string; OrgCode builds valid
// unified social credit codes; Department and Party build genesis parties;
// Driver wraps one *app.App over an in-memory tree (New) or a goleveldb
// directory (Open), which crash-recovery tests close and reopen.
//
// The package is for tests only: its keys are public by construction.
package apptest
