package app_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/app"
	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/tx"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	govkeeper "github.com/datarights/datarights/x/governance/keeper"
	govtypes "github.com/datarights/datarights/x/governance/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestScenarios")

// TestScenarios runs every testdata/scenarios/*.txt through a fresh app and
// compares the transcript with the .golden file beside it, byte for byte;
// -update rewrites the golden files instead. The language, one command a
// line ("#" starts a comment; values with spaces are "quoted"):
//
//	genesis departments=A,B enterprises=C operators=O institutions=D individuals=E roles=A:data_admin,C:auditor notice=10s max_depth=N voting=60s
//	block                  the tx lines below go into one block, up to a blank line or another command
//	tx SIGNER VERB ARGS    a signed tx; outside a block it is a block of its own
//	check SIGNER VERB ARGS CheckTx only (the mempool's verdict); nothing is executed
//	advance DURATION       empty blocks until the block time has moved on by DURATION
//	query WHAT ARGS        a query at the latest height, printed as protobuf JSON (WHAT: see queries)
//
// Genesis departments run validators of power 10; operators are
// enterprises with the operator role; notice and voting set the registry's
// notice period and governance's voting period.
//
// VERB is a message of tx.proto's Msg oneof with dashes (grant-right), ARGS
// its fields as name=value in proto names or the short aliases of
// scenario_parse_test.go, the first bare word being field 1 (grant-right
// r-1), any later one a bool set to true (exclusive). Nested fields are
// dotted (revenue.operator_share_bps=3000). A oneof is chosen by naming the
// member, dashes allowed: action=grant-role (a message field that is one
// oneof) or params=registry (the oneof's own name); later names are looked
// up in the chosen message first, then in the ones around it:
//
//	tx bigdata submit-proposal title="acme audits" action=grant-role address=acme role=auditor
//	tx bigdata submit-proposal title=notice action=set-params params=registry notice_period_seconds=20s
//
// Chosen params start as the module's params in force, so only the named
// fields change. Names stand for parties: each name has its own key
// (apptest.Keys seeded with the name), so "grantee=beta" is beta's address;
// @word is the sha-256 hex of word; +90s is the block time plus 90s; a
// *_seconds field takes a duration (term=90s); inputs=a-1:6000,a-2:4000;
// lists are comma-separated; org_code=auto is a valid organisation code of
// the party named before it and pub_key=auto its validator key (val:NAME
// is NAME's). The transcript echoes each line, then its output indented:
// "hN ok IDS" or "hN error CODESPACE CODE: LOG" at height N, the tx's
// events, the block's end events ("hN end ...") and validator updates
// ("hN validator_updates val:NAME=POWER"), query answers as one line of
// JSON. Addresses print as names, @word hashes as @word and validator keys
// as val:NAME.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in testdata/scenarios: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := runScenario(t, string(src))
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the run (- golden, + run; -update rewrites it):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

// queries maps a query's name to its path, request and response types.
var queries = map[string]struct {
	path      string
	req, resp func() proto.Message
}{
	"party":       {idkeeper.PathParty, func() proto.Message { return &idtypes.QueryPartyRequest{} }, func() proto.Message { return &idtypes.Party{} }},
	"parties":     {idkeeper.PathParties, func() proto.Message { return &idtypes.QueryPartiesRequest{} }, func() proto.Message { return &idtypes.QueryPartiesResponse{} }},
	"asset":       {regkeeper.PathAsset, func() proto.Message { return &regtypes.QueryAssetRequest{} }, func() proto.Message { return &regtypes.Asset{} }},
	"versions":    {regkeeper.PathVersions, func() proto.Message { return &regtypes.QueryVersionsRequest{} }, func() proto.Message { return &regtypes.QueryVersionsResponse{} }},
	"certificate": {regkeeper.PathCertificate, func() proto.Message { return &regtypes.QueryCertificateRequest{} }, func() proto.Message { return &regtypes.Certificate{} }},
	"right":       {rightskeeper.PathRight, func() proto.Message { return &rightstypes.QueryRightRequest{} }, func() proto.Message { return &rightstypes.Right{} }},
	"rights":      {rightskeeper.PathList, func() proto.Message { return &rightstypes.QueryRightsRequest{} }, func() proto.Message { return &rightstypes.QueryRightsResponse{} }},
	"children":    {rightskeeper.PathChildren, func() proto.Message { return &rightstypes.QueryChildrenRequest{} }, func() proto.Message { return &rightstypes.QueryRightsResponse{} }},
	"requests":    {rightskeeper.PathRequests, func() proto.Message { return &rightstypes.QueryRequestsRequest{} }, func() proto.Message { return &rightstypes.QueryRequestsResponse{} }},
	"usage":       {rightskeeper.PathUsage, func() proto.Message { return &rightstypes.QueryUsageRequest{} }, func() proto.Message { return &rightstypes.QueryUsageResponse{} }},

	"authorization":  {authkeeper.PathShow, func() proto.Message { return &authtypes.QueryAuthorizationRequest{} }, func() proto.Message { return &authtypes.Authorization{} }},
	"authorizations": {authkeeper.PathList, func() proto.Message { return &authtypes.QueryAuthorizationsRequest{} }, func() proto.Message { return &authtypes.QueryAuthorizationsResponse{} }},
	"evaluations":    {authkeeper.PathEvaluations, func() proto.Message { return &authtypes.QueryEvaluationsRequest{} }, func() proto.Message { return &authtypes.QueryEvaluationsResponse{} }},
	"proposal":       {govkeeper.PathProposal, func() proto.Message { return &govtypes.QueryProposalRequest{} }, func() proto.Message { return &govtypes.Proposal{} }},
	"proposals":      {govkeeper.PathProposals, func() proto.Message { return &govtypes.QueryProposalsRequest{} }, func() proto.Message { return &govtypes.QueryProposalsResponse{} }},
	"votes":          {govkeeper.PathVotes, func() proto.Message { return &govtypes.QueryVotesRequest{} }, func() proto.Message { return &govtypes.QueryVotesResponse{} }},
	"departments":    {govkeeper.PathDepartments, func() proto.Message { return &govtypes.QueryDepartmentsRequest{} }, func() proto.Message { return &govtypes.QueryDepartmentsResponse{} }},
	"params":         {govkeeper.PathParams, func() proto.Message { return &govtypes.QueryParamsRequest{} }, func() proto.Message { return &govtypes.AllParams{} }},
}

// scenario is one script's run.
type scenario struct {
	t       *testing.T
	d       *apptest.Driver
	keys    map[string]*ecdsa.PrivateKey
	display *strings.Replacer // addresses and hashes to names, rebuilt when names are added
	names   []string          // old, new pairs for display
	named   map[string]bool   // the olds in names
	party   string            // the last party named in a message (for org_code=auto)
	out     strings.Builder
	open    bool           // a block is being collected
	pending []step         // its lines
	used    map[string]int // its txs per signer
}

// step is a line of an open block; raw is nil for a comment.
type step struct {
	line string
	raw  []byte
}

func runScenario(t *testing.T, src string) string {
	s := &scenario{t: t, keys: map[string]*ecdsa.PrivateKey{}, used: map[string]int{}, named: map[string]bool{},
		display: strings.NewReplacer()}
	for n, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		if err := s.line(strings.TrimRight(line, " \t")); err != nil {
			t.Fatalf("line %d: %q: %v", n+1, line, err)
		}
	}
	s.flush()
	return s.out.String()
}

func (s *scenario) line(line string) error {
	words, err := tokenize(line)
	if err != nil || len(words) == 0 {
		if strings.TrimSpace(line) == "" {
			s.flush() // a blank line ends a block
		}
		if s.open && len(s.pending) > 0 {
			s.pending = append(s.pending, step{line: line})
		} else {
			s.echo(line, nil)
		}
		return err
	}
	if words[0] != "tx" {
		s.flush()
	}
	switch cmd, args := words[0], words[1:]; {
	case cmd == "genesis" && s.d == nil:
		return s.genesis(line, args)
	case s.d == nil:
		return fmt.Errorf("the script must start with genesis")
	case cmd == "block" && len(args) == 0:
		s.echo(line, nil)
		s.open = true
	case (cmd == "tx" || cmd == "check") && len(args) >= 2:
		key := s.key(args[0])
		h := s.d.Height() + 1
		msg, err := s.msg(args[1], args[2:], apptest.BlockTime(h))
		if err != nil {
			return err
		}
		committed, pending := s.d.Nonce(apptest.Addr(key))
		if cmd == "check" {
			r := s.d.CheckTx(s.d.Sign(key, pending, msg))
			s.echo(line, []string{"check " + result(r.Code, r.Codespace, r.Log, "")})
			return nil
		}
		raw := s.d.Sign(key, committed+uint64(s.used[args[0]]), msg)
		s.used[args[0]]++
		s.pending = append(s.pending, step{line, raw})
		if !s.open {
			s.flush()
		}
	case cmd == "advance" && len(args) == 1:
		dur, err := time.ParseDuration(args[0])
		if err != nil {
			return err
		}
		from, until := s.d.Height()+1, apptest.BlockTime(s.d.Height()).Add(dur)
		var lines []string
		for apptest.BlockTime(s.d.Height()).Before(until) {
			resp := s.d.Block()
			lines = append(lines, s.ends(s.d.Height(), resp)...)
		}
		head := fmt.Sprintf("h%d..h%d empty, block time %s", from, s.d.Height(), apptest.BlockTime(s.d.Height()).Format(time.RFC3339))
		s.echo(line, append([]string{head}, lines...))
	case cmd == "query" && len(args) >= 1:
		q, ok := queries[args[0]]
		if !ok {
			return fmt.Errorf("unknown query %q", args[0])
		}
		req := q.req()
		if err := s.fill(req.ProtoReflect(), args[1:], time.Time{}); err != nil {
			return err
		}
		r := s.d.Query(q.path, req, 0, false)
		if r.Code != 0 {
			s.echo(line, []string{result(r.Code, r.Codespace, r.Log, "")})
			return nil
		}
		resp := q.resp()
		if err := proto.Unmarshal(r.Value, resp); err != nil {
			return err
		}
		s.echo(line, []string{compactJSON(s.t, resp)})
	default:
		return fmt.Errorf("unknown command or wrong arguments")
	}
	return nil
}

// flush runs the collected block, if any, and prints its lines with their
// results and the block's end events.
func (s *scenario) flush() {
	s.open = false
	if len(s.pending) == 0 {
		return
	}
	var txs [][]byte
	for _, st := range s.pending {
		if st.raw != nil {
			txs = append(txs, st.raw)
		}
	}
	resp := s.d.Block(txs...)
	h := s.d.Height()
	i := 0
	for _, st := range s.pending {
		if st.raw == nil {
			s.echo(st.line, nil)
			continue
		}
		r := resp.TxResults[i]
		i++
		var ids []string
		if r.Code == abci.CodeTypeOK {
			data := &tx.TxResultData{}
			if err := proto.Unmarshal(r.Data, data); err != nil {
				s.t.Fatal(err)
			}
			for _, m := range data.Results {
				ids = append(ids, m.Id)
			}
		}
		out := []string{fmt.Sprintf("h%d %s", h, result(r.Code, r.Codespace, r.Log, strings.Join(ids, ",")))}
		s.echo(st.line, append(out, s.events("event ", r.Events)...))
	}
	s.print(s.ends(h, resp))
	s.pending, s.used = nil, map[string]int{}
}

// ends prints a block's end events (but the block's time, which every
// block has) and its validator updates, if any, as
// "hN validator_updates KEY=POWER ..." (a power of 0 removes).
func (s *scenario) ends(h int64, resp *abci.ResponseFinalizeBlock) []string {
	if len(resp.Events) == 0 || resp.Events[0].Type != app.EventBlock {
		s.t.Fatalf("h%d: the first end event is not the block's time: %v", h, resp.Events)
	}
	out := s.events(fmt.Sprintf("h%d end ", h), resp.Events[1:])
	if len(resp.ValidatorUpdates) == 0 {
		return out
	}
	line := fmt.Sprintf("h%d validator_updates", h)
	for _, u := range resp.ValidatorUpdates {
		line += fmt.Sprintf(" %s=%d", base64.StdEncoding.EncodeToString(u.PubKey.GetEd25519()), u.Power)
	}
	return append(out, line)
}

func result(code uint32, space, log, ids string) string {
	if code != 0 {
		return fmt.Sprintf("error %s %d: %s", space, code, log)
	}
	return strings.TrimSpace("ok " + ids)
}

// events prints events one a line, without msg_index. The envelope's own
// events are left out, except that a tx signed by an agent says for whom.
func (s *scenario) events(prefix string, evs []abci.Event) []string {
	var out []string
	for _, e := range evs {
		attrs := map[string]string{}
		line := prefix + e.Type
		for _, a := range e.Attributes {
			attrs[a.Key] = a.Value
			if a.Key != "msg_index" {
				line += " " + a.Key + "=" + quote(s.display.Replace(a.Value))
			}
		}
		switch {
		case e.Type == "message":
		case e.Type == "tx" && attrs["signer"] == attrs["actor"]:
		default:
			out = append(out, line)
		}
	}
	return out
}

func quote(v string) string {
	if v == "" || strings.ContainsAny(v, " \"=") {
		return strconv.Quote(v)
	}
	return v
}

// echo writes a script line and its output.
func (s *scenario) echo(line string, out []string) {
	s.out.WriteString(line + "\n")
	s.print(out)
}

// print writes output lines, indented, in display form.
func (s *scenario) print(out []string) {
	for _, o := range out {
		s.out.WriteString("  " + s.display.Replace(o) + "\n")
	}
}

func (s *scenario) genesis(line string, args []string) error {
	gs := &genesis.GenesisState{Identity: &idtypes.GenesisState{}}
	// operators are enterprises with the operator role.
	kinds := map[string]idtypes.PartyKind{"departments": idtypes.PartyKind_PARTY_KIND_DEPARTMENT,
		"enterprises": idtypes.PartyKind_PARTY_KIND_ENTERPRISE, "institutions": idtypes.PartyKind_PARTY_KIND_INSTITUTION,
		"individuals": idtypes.PartyKind_PARTY_KIND_INDIVIDUAL, "operators": idtypes.PartyKind_PARTY_KIND_ENTERPRISE}
	parties := map[string]*idtypes.Party{}
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch {
		case kinds[k] != 0:
			for _, name := range strings.Split(v, ",") {
				p := apptest.Party(s.key(name), kinds[k], seed(name))
				switch k {
				case "departments":
					p = apptest.Department(s.key(name), seed(name), 10)
					s.validatorKey(name)
				case "operators":
					p.Roles = append(p.Roles, idtypes.Role_ROLE_OPERATOR)
				}
				p.Name, parties[name] = name, p
				gs.Identity.Parties = append(gs.Identity.Parties, p)
			}
		case k == "roles":
			for _, nr := range strings.Split(v, ",") {
				name, role, _ := strings.Cut(nr, ":")
				r, err := idtypes.ParseRole(role)
				if parties[name] == nil || err != nil {
					return fmt.Errorf("roles: %q: %v (name the party first)", nr, err)
				}
				parties[name].Roles = append(parties[name].Roles, r)
			}
		case k == "notice":
			d, err := time.ParseDuration(v)
			if err != nil {
				return err
			}
			p := regtypes.DefaultParams()
			p.NoticePeriodSeconds = int64(d / time.Second)
			gs.Registry = &regtypes.GenesisState{Params: p}
		case k == "max_depth":
			n, err := strconv.ParseUint(v, 10, 32)
			if err != nil {
				return err
			}
			p := rightstypes.DefaultParams()
			p.MaxDepth = uint32(n)
			gs.Rights = &rightstypes.GenesisState{Params: p}
		case k == "voting":
			d, err := time.ParseDuration(v)
			if err != nil {
				return err
			}
			p := govtypes.DefaultParams()
			p.VotingPeriodSeconds = int64(d / time.Second)
			gs.Governance = &govtypes.GenesisState{Params: p}
		default:
			return fmt.Errorf("genesis: unknown %q", a)
		}
	}
	s.d = apptest.New(s.t)
	s.d.InitChain(gs)
	s.echo(line, nil)
	return nil
}

// key returns the key of a name, made on first use.
func (s *scenario) key(name string) *ecdsa.PrivateKey {
	if k, ok := s.keys[name]; ok {
		return k
	}
	k := apptest.Keys(1, "scenario "+name)[0]
	s.keys[name] = k
	s.addName(apptest.Addr(k), name)
	return k
}

func (s *scenario) addName(old, name string) {
	if s.named[old] {
		return
	}
	s.named[old] = true
	s.names = append(s.names, old, name)
	s.display = strings.NewReplacer(s.names...)
}

// seed is a name's number for its organisation code and validator key.
func seed(name string) int { return int(crc32.ChecksumIEEE([]byte(name)) % 100_000_000) }

// compactJSON is protobuf JSON without insignificant space: protojson
// varies its spacing on purpose, so it is compacted for a stable golden.
func compactJSON(t *testing.T, m proto.Message) string {
	bz, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, bz); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// lineDiff is a minimal line diff (longest common subsequence): the lines
// only in a ("-") and only in b ("+"), each with its line number.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	for i, j := 0, 0; i < len(x) || j < len(y); {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			fmt.Fprintf(&out, "-%d: %s\n", i+1, x[i])
			i++
		default:
			fmt.Fprintf(&out, "+%d: %s\n", j+1, y[j])
			j++
		}
	}
	return out.String()
}
