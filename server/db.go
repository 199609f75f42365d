package server

import (
	cmtdb "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"
)

// LevelDBOptions are the goleveldb settings of every database a node opens
// on the goleveldb backend: CometBFT's (block store, state, tx index,
// evidence) and the app's state tree.
//
// goleveldb's defaults (4 MiB memtable, 2 MiB tables, 10 MiB level 1) are
// sized for small embedded use: under load the tx index alone writes
// ~700 bytes per tx, and compacting it took 22% of a loaded node's CPU
// (docs/bench/README.md). Larger memtables and tables mean fewer, larger
// compactions; a bloom filter saves reads of absent keys (the app's state
// tree asks for many); seek-triggered compactions, which goleveldb starts
// on read patterns alone, are off.
func LevelDBOptions() *opt.Options {
	return &opt.Options{
		WriteBuffer:            32 * opt.MiB,
		CompactionTableSize:    8 * opt.MiB,
		CompactionTotalSize:    64 * opt.MiB,
		BlockCacheCapacity:     32 * opt.MiB,
		Filter:                 filter.NewBloomFilter(10),
		DisableSeeksCompaction: true,
	}
}

// dbProvider opens CometBFT's databases, with LevelDBOptions on goleveldb
// and CometBFT's own way on any other backend.
func dbProvider(ctx *cmtcfg.DBContext) (cmtdb.DB, error) {
	if cmtdb.BackendType(ctx.Config.DBBackend) != cmtdb.GoLevelDBBackend {
		return cmtcfg.DefaultDBProvider(ctx)
	}
	return cmtdb.NewGoLevelDBWithOpts(ctx.ID, ctx.Config.DBDir(), LevelDBOptions())
}
