package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProductionTemplates: networks/production's config.toml and app.toml,
// placeholders filled in, are read by the node as they are and carry the
// production settings docs/operations.md describes.
func TestProductionTemplates(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("<MONIKER>", "bigdata", "<PUBLIC_IP>", "10.0.0.1",
		"<ID1>", strings.Repeat("a", 40), "<ID2>", strings.Repeat("b", 40), "<ID3>", strings.Repeat("c", 40),
		"<HOST1>", "10.0.0.2", "<HOST2>", "10.0.0.3", "<HOST3>", "10.0.0.4")
	for _, f := range []string{"config.toml", "app.toml"} {
		bz, err := os.ReadFile(filepath.Join("..", "networks", "production", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, "config", f), []byte(r.Replace(string(bz))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf, err := LoadCometConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case !conf.FilterPeers || conf.P2P.PexReactor:
		t.Errorf("filter_peers %v, pex %v: want on, off", conf.FilterPeers, conf.P2P.PexReactor)
	case !strings.HasPrefix(conf.RPC.ListenAddress, "tcp://127.0.0.1:"):
		t.Errorf("rpc laddr %s: want loopback", conf.RPC.ListenAddress)
	case !conf.Instrumentation.Prometheus || !strings.HasPrefix(conf.Instrumentation.PrometheusListenAddr, "127.0.0.1:"):
		t.Errorf("prometheus %v on %s", conf.Instrumentation.Prometheus, conf.Instrumentation.PrometheusListenAddr)
	case len(strings.Split(conf.P2P.PersistentPeers, ",")) != 3 || conf.RPC.Unsafe:
		t.Errorf("persistent peers %q, unsafe rpc %v", conf.P2P.PersistentPeers, conf.RPC.Unsafe)
	}
	acfg, err := LoadAppConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if !acfg.SyncWrites || acfg.PruningKeepRecent != 0 || acfg.SnapshotInterval == 0 || acfg.HaltHeight != 0 {
		t.Errorf("app.toml %+v: want sync writes, every height kept, snapshots on, no halt", acfg)
	}
}
