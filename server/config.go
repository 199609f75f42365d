package server

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/spf13/viper"

	"github.com/datarights/datarights/store"
)

// AppConfig is config/app.toml.
type AppConfig struct {
	// DBBackend is the cosmos-db backend of the app state: goleveldb or pebbledb.
	DBBackend string `toml:"db_backend"`
	// IAVLCacheSize is the number of state tree nodes kept in memory.
	IAVLCacheSize int `toml:"iavl_cache_size"`
	// PruningKeepRecent keeps this many recent state versions queryable;
	// 0 keeps all (the default for an audit ledger).
	PruningKeepRecent int64 `toml:"pruning_keep_recent"`
	// PruningInterval is how often, in blocks, old versions are pruned.
	PruningInterval int64 `toml:"pruning_interval"`
	// SyncWrites fsyncs each commit.
	SyncWrites bool `toml:"sync_writes"`
	// SnapshotInterval takes a state sync snapshot every this many blocks
	// (0: none; the node can still restore one).
	SnapshotInterval int64 `toml:"snapshot_interval"`
	// SnapshotKeepRecent is how many snapshots are kept.
	SnapshotKeepRecent int `toml:"snapshot_keep_recent"`
	// HaltHeight stops the node after committing this height (0: never),
	// for a coordinated upgrade.
	HaltHeight int64 `toml:"halt_height"`
	// MaxPendingPerSigner caps one signer's txs in this node's mempool
	// (CheckTx refuses more with tx/15 until the next block); 0: no cap.
	MaxPendingPerSigner int `toml:"max_pending_per_signer"`
}

// DefaultMaxPendingPerSigner is init's cap on one signer's pending txs:
// far above what one party sends in a block, low enough that one key
// cannot fill a node's mempool (CometBFT's default size is 5,000 txs).
const DefaultMaxPendingPerSigner = 256

// DefaultAppConfig is what init writes.
func DefaultAppConfig() AppConfig {
	o := store.DefaultOptions()
	return AppConfig{DBBackend: "goleveldb", IAVLCacheSize: o.CacheSize, PruningKeepRecent: o.KeepRecent,
		PruningInterval: o.PruneInterval, SyncWrites: o.Sync, SnapshotInterval: 1000, SnapshotKeepRecent: 2,
		MaxPendingPerSigner: DefaultMaxPendingPerSigner}
}

// StoreOptions turns the config into tree options.
func (c AppConfig) StoreOptions() store.Options {
	return store.Options{CacheSize: c.IAVLCacheSize, KeepRecent: c.PruningKeepRecent, PruneInterval: c.PruningInterval, Sync: c.SyncWrites,
		LevelDB: LevelDBOptions()}
}

// Validate rejects settings the node cannot run with.
func (c AppConfig) Validate() error {
	switch c.DBBackend {
	case "goleveldb", "pebbledb":
	default:
		return fmt.Errorf("app.toml: db_backend %q: want goleveldb or pebbledb", c.DBBackend)
	}
	if c.IAVLCacheSize < 0 || c.PruningKeepRecent < 0 || c.PruningInterval < 0 || c.SnapshotInterval < 0 || c.SnapshotKeepRecent < 0 || c.HaltHeight < 0 || c.MaxPendingPerSigner < 0 {
		return fmt.Errorf("app.toml: sizes and intervals must not be negative")
	}
	if c.SnapshotInterval > 0 && c.SnapshotKeepRecent < 1 {
		return fmt.Errorf("app.toml: snapshot_keep_recent must be at least 1 when snapshot_interval is set")
	}
	if c.SnapshotInterval > 0 && c.PruningKeepRecent > 0 && c.PruningKeepRecent < 2 {
		return fmt.Errorf("app.toml: pruning_keep_recent %d would prune the height a snapshot is taken from: keep at least 2", c.PruningKeepRecent)
	}
	return nil
}

const appConfigHeader = `# datarights application settings (the node's CometBFT settings are in config.toml)
#
# db_backend: cosmos-db backend of the app's Merkle state: "goleveldb" (default) or "pebbledb".
# iavl_cache_size: state tree nodes kept in memory.
# pruning_keep_recent: how many recent heights stay queryable with proofs; 0 keeps every height.
# pruning_interval: prune old heights every this many blocks (when pruning_keep_recent > 0).
# sync_writes: fsync every commit (keep true in production: a power cut must not lose a voted block).
# snapshot_interval: take a state sync snapshot every this many blocks, in the background (0: never).
#   Snapshots are served to nodes joining with [statesync] enable = true in their config.toml.
# snapshot_keep_recent: how many snapshots to keep in data/snapshots.
# halt_height: stop the node cleanly after committing this height (0: never); for a coordinated
#   upgrade: every department sets the same height, swaps the binary, sets it back to 0, starts.
# max_pending_per_signer: the most txs of one signer this node's mempool admits between blocks
#   (more are refused with tx/15 "too many pending txs from this signer"); 0: no cap.

`

func appConfigPath(home string) string { return filepath.Join(home, "config", "app.toml") }

// WriteAppConfig writes config/app.toml.
func WriteAppConfig(home string, c AppConfig) error {
	f, err := os.Create(appConfigPath(home))
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(appConfigHeader); err != nil {
		return err
	}
	return toml.NewEncoder(f).Encode(c)
}

// LoadAppConfig reads config/app.toml; a missing file means the defaults.
func LoadAppConfig(home string) (AppConfig, error) {
	c := DefaultAppConfig()
	md, err := toml.DecodeFile(appConfigPath(home), &c)
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read %s: %w", appConfigPath(home), err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return c, fmt.Errorf("%s: unknown setting %q", appConfigPath(home), un[0].String())
	}
	return c, c.Validate()
}

// LoadCometConfig reads config/config.toml the way CometBFT's own command
// does, rooted at home.
func LoadCometConfig(home string) (*cmtcfg.Config, error) {
	conf := cmtcfg.DefaultConfig()
	v := viper.New()
	v.SetConfigFile(filepath.Join(home, "config", "config.toml"))
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read CometBFT config (run `datarightsd init` first?): %w", err)
	}
	if err := v.Unmarshal(conf); err != nil {
		return nil, fmt.Errorf("parse CometBFT config: %w", err)
	}
	conf.SetRoot(home)
	if err := conf.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("config.toml: %w", err)
	}
	return conf, nil
}
