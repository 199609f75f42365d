package app_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
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
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/app/genesis"
	"github.com/datarights/datarights/tx"
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
//	genesis departments=A,B enterprises=C institutions=D individuals=E roles=A:data_admin notice=10s max_depth=N
//	block                  the tx lines below go into one block, up to a blank line or another command
//	tx SIGNER VERB ARGS    a signed tx; outside a block it is a block of its own
//	check SIGNER VERB ARGS CheckTx only (the mempool's verdict); nothing is executed
//	advance DURATION       empty blocks until the block time has moved on by DURATION
//	query WHAT ARGS        a query at the latest height, printed as protobuf JSON
//
// VERB is a message of tx.proto's Msg oneof with dashes (grant-right), ARGS
// its fields as name=value in proto names or the short aliases below, the
// first bare word being field 1 (grant-right r-1), any later one a bool set
// to true (exclusive). Names stand for parties: each name has its own key
// (apptest.Keys seeded with the name), so "grantee=beta" is beta's address;
// @word is the sha-256 hex of word; +90s is the block time plus 90s;
// inputs=a-1:6000,a-2:4000; lists are comma-separated; org_code=auto is a
// valid organisation code of the party named before it. The transcript
// echoes each line, then its output indented: "hN ok IDS" or "hN error
// CODESPACE CODE: LOG" at height N, the tx's events, the block's end events
// ("hN end ..."), query answers as one line of JSON. Addresses print as
// names and @word hashes as @word.
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

// aliases are short names of message fields.
var aliases = map[string]string{
	"code": "catalogue_code", "class": "classification", "open": "open_level", "hash": "content_hash",
	"source": "source_department", "desc": "description", "evidence": "evidence_hash", "org": "org_code",
	"ops": "scope.operations", "purposes": "scope.purposes", "pc": "scope.privacy_computing_only",
	"from": "valid_from", "until": "valid_until", "op": "operation", "result": "result_hash",
	"value": "value_fen", "report": "report_hash", "asset": "asset_id", "right": "right_id",
}

// addressFields are the string fields that name a party.
var addressFields = map[string]bool{"address": true, "agent": true, "grantee": true, "to": true,
	"source_department": true, "holder": true, "requester": true}

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
			lines = append(lines, s.events(fmt.Sprintf("h%d end ", s.d.Height()+1), s.d.Block().Events)...)
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
	s.print(s.events(fmt.Sprintf("h%d end ", h), resp.Events))
	s.pending, s.used = nil, map[string]int{}
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
				line += " " + a.Key + "=" + quote(a.Value)
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
	kinds := map[string]idtypes.PartyKind{"departments": idtypes.PartyKind_PARTY_KIND_DEPARTMENT,
		"enterprises": idtypes.PartyKind_PARTY_KIND_ENTERPRISE, "institutions": idtypes.PartyKind_PARTY_KIND_INSTITUTION,
		"individuals": idtypes.PartyKind_PARTY_KIND_INDIVIDUAL}
	parties := map[string]*idtypes.Party{}
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch {
		case kinds[k] != 0:
			for _, name := range strings.Split(v, ",") {
				p := apptest.Party(s.key(name), kinds[k], seed(name))
				if kinds[k] == idtypes.PartyKind_PARTY_KIND_DEPARTMENT {
					p = apptest.Department(s.key(name), seed(name), 10)
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

// msg builds a message of tx.proto's Msg oneof from its verb and fields.
func (s *scenario) msg(verb string, args []string, now time.Time) (*tx.Msg, error) {
	m := &tx.Msg{}
	fd := m.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(strings.ReplaceAll(verb, "-", "_")))
	if fd == nil || fd.ContainingOneof() == nil {
		return nil, fmt.Errorf("unknown message %q", verb)
	}
	inner := m.ProtoReflect().Mutable(fd).Message()
	if err := s.fill(inner, args, now); err != nil {
		return nil, err
	}
	return m, nil
}

// fill sets fields of msg from name=value words; see TestScenarios.
func (s *scenario) fill(msg protoreflect.Message, args []string, now time.Time) error {
	for i, a := range args {
		k, v, ok := strings.Cut(a, "=")
		switch {
		case !ok && i == 0:
			k, v = string(msg.Descriptor().Fields().ByNumber(1).Name()), a
		case !ok:
			v = "true"
		}
		if full, ok := aliases[k]; ok {
			k = full
		}
		if err := s.set(msg, k, v, now); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func (s *scenario) set(msg protoreflect.Message, path, v string, now time.Time) error {
	name, rest, nested := strings.Cut(path, ".")
	fd := msg.Descriptor().Fields().ByName(protoreflect.Name(name))
	switch {
	case fd == nil:
		return fmt.Errorf("%s has no such field", msg.Descriptor().Name())
	case nested:
		return s.set(msg.Mutable(fd).Message(), rest, v, now)
	case name == "inputs":
		ins, err := regtypes.ParseInputs(v)
		for _, in := range ins {
			msg.Mutable(fd).List().Append(protoreflect.ValueOfMessage(in.ProtoReflect()))
		}
		return err
	case fd.IsList():
		for _, item := range strings.Split(v, ",") {
			val, err := s.scalar(fd, item)
			if err != nil {
				return err
			}
			msg.Mutable(fd).List().Append(val)
		}
		return nil
	case fd.Message() != nil && fd.Message().FullName() == "google.protobuf.Timestamp":
		d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
		if err != nil || !strings.HasPrefix(v, "+") {
			return fmt.Errorf("%q: want +DURATION from the block time", v)
		}
		msg.Set(fd, protoreflect.ValueOfMessage(timestamppb.New(now.Add(d)).ProtoReflect()))
		return nil
	}
	val, err := s.scalar(fd, v)
	if err == nil {
		msg.Set(fd, val)
	}
	return err
}

func (s *scenario) scalar(fd protoreflect.FieldDescriptor, v string) (protoreflect.Value, error) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		switch {
		case addressFields[string(fd.Name())] && v != "":
			s.party = v
			return protoreflect.ValueOfString(apptest.Addr(s.key(v))), nil
		case fd.Name() == "org_code" && v == "auto":
			return protoreflect.ValueOfString(apptest.OrgCode(seed(s.party))), nil
		case strings.HasPrefix(v, "@"):
			sum := sha256.Sum256([]byte(v[1:]))
			h := hex.EncodeToString(sum[:])
			s.addName(h, v)
			return protoreflect.ValueOfString(h), nil
		}
		return protoreflect.ValueOfString(v), nil
	case protoreflect.BoolKind:
		b, err := strconv.ParseBool(v)
		return protoreflect.ValueOfBool(b), err
	case protoreflect.Uint64Kind, protoreflect.Uint32Kind:
		n, err := strconv.ParseUint(v, 10, 64)
		if fd.Kind() == protoreflect.Uint32Kind {
			return protoreflect.ValueOfUint32(uint32(n)), err
		}
		return protoreflect.ValueOfUint64(n), err
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		for i := 1; i < vals.Len(); i++ {
			if strings.HasSuffix(string(vals.Get(i).Name()), "_"+strings.ToUpper(v)) {
				return protoreflect.ValueOfEnum(vals.Get(i).Number()), nil
			}
		}
		return protoreflect.Value{}, fmt.Errorf("%q is no %s", v, fd.Enum().Name())
	}
	return protoreflect.Value{}, fmt.Errorf("field kind %s is not supported", fd.Kind())
}

// tokenize splits a line into words at spaces, keeping "quoted values"
// (which may follow name=) whole and unquoted, and drops a # comment.
func tokenize(line string) ([]string, error) {
	var words []string
	for line = strings.TrimSpace(line); line != "" && line[0] != '#'; line = strings.TrimSpace(line) {
		end := strings.IndexAny(line, " \t\"")
		if end < 0 {
			return append(words, line), nil
		}
		if line[end] != '"' {
			words, line = append(words, line[:end]), line[end:]
			continue
		}
		q, err := strconv.QuotedPrefix(line[end:])
		if err != nil {
			return nil, fmt.Errorf("unterminated quote")
		}
		unq, _ := strconv.Unquote(q)
		words, line = append(words, line[:end]+unq), line[end+len(q):]
	}
	return words, nil
}

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
