package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/datarights/datarights/keyring"
	idtypes "github.com/datarights/datarights/x/identity/types"
)

// Manifest describes a local multi-department network (networks/local).
type Manifest struct {
	ChainID       string `toml:"chain_id"`
	StartingPort  int    `toml:"starting_port"`
	TimeoutCommit string `toml:"timeout_commit"`
	// NoticePeriod is the registry's public notice period (公示期) as a
	// Go duration; short on a local network so certification is visible.
	NoticePeriod string `toml:"notice_period"`
	// SnapshotInterval is app.toml's snapshot_interval for every node (0:
	// the default).
	SnapshotInterval int64        `toml:"snapshot_interval"`
	Departments      []Department `toml:"department"`
	// Parties are further genesis parties (not departments), e.g. a
	// benchmark's signers; set in code, not in the manifest file.
	Parties []*idtypes.Party `toml:"-"`
}

// Department is one department of a manifest and its validator node.
type Department struct {
	Moniker string   `toml:"moniker"`
	Name    string   `toml:"name"`
	OrgBody string   `toml:"org_body"`
	Roles   []string `toml:"roles"`
	Power   int64    `toml:"power"`
}

// LoadManifest reads a manifest file.
func LoadManifest(path string) (*Manifest, error) {
	m := &Manifest{}
	md, err := toml.DecodeFile(path, m)
	if err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("manifest %s: unknown setting %q", path, un[0].String())
	}
	return m, nil
}

// GenericManifest is n departments named department-1..n.
func GenericManifest(n int, chainID string, startingPort int) *Manifest {
	m := &Manifest{ChainID: chainID, StartingPort: startingPort, TimeoutCommit: "1s"}
	for i := 1; i <= n; i++ {
		m.Departments = append(m.Departments, Department{
			Moniker: fmt.Sprintf("department-%d", i), Name: fmt.Sprintf("Department %d", i),
			OrgBody: fmt.Sprintf("MA%06d", i), Power: 10,
		})
	}
	if n > 0 {
		m.Departments[0].Roles = []string{"data_admin", "exchange"}
	}
	return m
}

// Ports of node i.
func (m *Manifest) P2PPort(i int) int { return m.StartingPort + 10*i }

// PrometheusPort of node i: its /metrics.
func (m *Manifest) PrometheusPort(i int) int { return m.StartingPort + 10*i + 2 }

// RPCPort of node i.
func (m *Manifest) RPCPort(i int) int { return m.StartingPort + 10*i + 1 }

// TestnetNode is one generated node.
type TestnetNode struct {
	Moniker string `json:"moniker"`
	Home    string `json:"home"`
	NodeID  string `json:"node_id"`
	RPC     string `json:"rpc"`
	P2P     string `json:"p2p"`
	CDO     string `json:"cdo_address"`
}

// Testnet writes one home per department under dir: keys (the test keyring,
// key "cdo" = the department's own key), one shared genesis, and configs
// wired to each other on loopback.
func Testnet(dir string, m *Manifest) ([]TestnetNode, error) {
	if len(m.Departments) == 0 {
		return nil, fmt.Errorf("the manifest has no departments")
	}
	if m.StartingPort <= 0 || m.StartingPort+10*len(m.Departments) > 65535 {
		return nil, fmt.Errorf("starting port %d leaves no room for %d nodes", m.StartingPort, len(m.Departments))
	}
	timeoutCommit := time.Second
	if m.TimeoutCommit != "" {
		d, err := time.ParseDuration(m.TimeoutCommit)
		if err != nil {
			return nil, fmt.Errorf("timeout_commit: %w", err)
		}
		timeoutCommit = d
	}
	nodes := make([]TestnetNode, len(m.Departments))
	gs := DefaultGenesis()
	if m.NoticePeriod != "" {
		d, err := time.ParseDuration(m.NoticePeriod)
		if err != nil || d < time.Second {
			return nil, fmt.Errorf("notice_period %q: want a duration of at least 1s", m.NoticePeriod)
		}
		gs.Registry.Params.NoticePeriodSeconds = int64(d / time.Second)
	}
	var vals []cmttypes.GenesisValidator
	for i, d := range m.Departments {
		home := filepath.Join(dir, d.Moniker)
		if _, err := os.Stat(home); err == nil {
			return nil, fmt.Errorf("%s already exists: remove it or choose another --output-dir", home)
		}
		conf := nodeConfig(m, i, timeoutCommit)
		if err := InitHome(home, d.Moniker, m.ChainID, conf, false); err != nil {
			return nil, err
		}
		if m.SnapshotInterval > 0 {
			acfg := DefaultAppConfig()
			acfg.SnapshotInterval = m.SnapshotInterval
			if err := WriteAppConfig(home, acfg); err != nil {
				return nil, err
			}
		}
		nk, err := p2p.LoadNodeKey(conf.NodeKeyFile())
		if err != nil {
			return nil, err
		}
		p, err := departmentParty(home, conf, d)
		if err != nil {
			return nil, fmt.Errorf("department %s: %w", d.Moniker, err)
		}
		// The node's id is registered with its department, so that the
		// other nodes (filter_peers) admit it.
		p.NodeIds = []string{string(nk.ID())}
		gs.Identity.Parties = append(gs.Identity.Parties, p)
		nodes[i] = TestnetNode{Moniker: d.Moniker, Home: home, NodeID: string(nk.ID()),
			RPC: fmt.Sprintf("tcp://127.0.0.1:%d", m.RPCPort(i)), P2P: fmt.Sprintf("127.0.0.1:%d", m.P2PPort(i)), CDO: p.Address}
	}
	gs.Identity.Parties = append(gs.Identity.Parties, m.Parties...)
	doc, _, err := LoadGenesis(GenesisFile(nodes[0].Home))
	if err != nil {
		return nil, err
	}
	doc.Validators = vals // app_state's departments are the validators (InitChain returns them)
	for i := range nodes {
		if err := SaveGenesis(GenesisFile(nodes[i].Home), doc, gs); err != nil {
			return nil, err
		}
		conf := nodeConfig(m, i, timeoutCommit)
		conf.SetRoot(nodes[i].Home)
		var peers []string
		for j, o := range nodes {
			if j != i {
				peers = append(peers, o.NodeID+"@"+o.P2P)
			}
		}
		conf.P2P.PersistentPeers = strings.Join(peers, ",")
		cmtcfg.WriteConfigFile(filepath.Join(nodes[i].Home, "config", "config.toml"), conf)
	}
	return nodes, ValidateGenesis(GenesisFile(nodes[0].Home))
}

// LoopbackConfig is the CometBFT config of node i of a loopback network
// (before its peers are set): what Testnet writes, for another app (the
// benchmark's kvstore) to run with the same consensus settings.
//
// Peer filtering is off in it: another app does not answer our
// /p2p/filter queries.
func LoopbackConfig(m *Manifest, i int, timeoutCommit time.Duration) *cmtcfg.Config {
	conf := nodeConfig(m, i, timeoutCommit)
	conf.FilterPeers = false
	return conf
}

// nodeConfig is the CometBFT config of node i of a loopback network.
func nodeConfig(m *Manifest, i int, timeoutCommit time.Duration) *cmtcfg.Config {
	conf := DefaultCometConfig()
	conf.Moniker = m.Departments[i].Moniker
	conf.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", m.P2PPort(i))
	conf.RPC.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", m.RPCPort(i))
	conf.P2P.AllowDuplicateIP = true
	conf.P2P.AddrBookStrict = false
	conf.Consensus.TimeoutCommit = timeoutCommit
	conf.Instrumentation.Prometheus = true // app and CometBFT metrics (metrics package)
	conf.Instrumentation.PrometheusListenAddr = fmt.Sprintf("127.0.0.1:%d", m.PrometheusPort(i))
	return conf
}

// departmentParty creates the department's CDO key in the home's test
// keyring and returns its genesis party with the node's validator key.
func departmentParty(home string, conf *cmtcfg.Config, d Department) (*idtypes.Party, error) {
	kr, err := keyring.New(keyring.BackendTest, home, nil)
	if err != nil {
		return nil, err
	}
	info, _, err := kr.Add("cdo")
	if err != nil {
		return nil, err
	}
	pub, err := ValidatorPubKey(conf.PrivValidatorKeyFile())
	if err != nil {
		return nil, err
	}
	code, err := idtypes.BuildOrgCode("11", "511900", d.OrgBody)
	if err != nil {
		return nil, err
	}
	p := &idtypes.Party{
		Address: info.Address.Hex(), Name: d.Name, Kind: idtypes.PartyKind_PARTY_KIND_DEPARTMENT, OrgCode: code,
		Status: idtypes.PartyStatus_PARTY_STATUS_ACTIVE, Validator: &idtypes.Validator{PubKey: pub, Power: d.Power},
	}
	if p.Validator.Power <= 0 {
		p.Validator.Power = 10
	}
	for _, r := range d.Roles {
		role, err := idtypes.ParseRole(r)
		if err != nil {
			return nil, err
		}
		p.Roles = append(p.Roles, role)
	}
	return p, nil
}
