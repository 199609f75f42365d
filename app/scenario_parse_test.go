package app_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/app/apptest"
	"github.com/datarights/datarights/tx"
	govkeeper "github.com/datarights/datarights/x/governance/keeper"
	govtypes "github.com/datarights/datarights/x/governance/types"
	regtypes "github.com/datarights/datarights/x/registry/types"
)

// How a scenario line's words become a message: see TestScenarios for the
// language.

// aliases are short names of message fields.
var aliases = map[string]string{
	"code": "catalogue_code", "class": "classification", "open": "open_level", "hash": "content_hash",
	"source": "source_department", "desc": "description", "evidence": "evidence_hash", "org": "org_code",
	"ops": "scope.operations", "purposes": "scope.purposes", "pc": "scope.privacy_computing_only",
	"from": "valid_from", "until": "valid_until", "op": "operation", "result": "result_hash",
	"value": "value_fen", "report": "report_hash", "asset": "asset_id", "right": "right_id",
	"assets": "asset_ids", "terms": "terms_hash", "term": "term_seconds", "attestation": "attestation_hash",
	"op_share": "revenue.operator_share_bps", "public_share": "revenue.public_service_share_bps",
}

// addressFields are the string fields that name a party.
var addressFields = map[string]bool{"address": true, "agent": true, "grantee": true, "to": true,
	"source_department": true, "holder": true, "requester": true, "authoriser": true, "operator": true}

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

// fill sets fields of msg from name=value words; see TestScenarios. A
// word that chooses a oneof member (action=grant-role, params=registry)
// makes that member the focus: later names are looked up in it first,
// then outwards in the messages around it.
func (s *scenario) fill(msg protoreflect.Message, args []string, now time.Time) error {
	focus := []protoreflect.Message{msg}
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
		j := owner(focus, k)
		if j < 0 {
			return fmt.Errorf("%s: %s has no such field", k, focus[len(focus)-1].Descriptor().Name())
		}
		chosen, err := s.set(focus[j], k, v, now)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if chosen != nil {
			focus = append(focus[:j+1], chosen)
		}
	}
	return nil
}

// owner is the index of the innermost message of focus with the field or
// oneof that path starts with, or -1.
func owner(focus []protoreflect.Message, path string) int {
	name, _, _ := strings.Cut(path, ".")
	for j := len(focus) - 1; j >= 0; j-- {
		d := focus[j].Descriptor()
		if d.Fields().ByName(protoreflect.Name(name)) != nil || d.Oneofs().ByName(protoreflect.Name(name)) != nil {
			return j
		}
	}
	return -1
}

// set sets the field at path (dotted for nested messages) to v. If v
// chooses a oneof member, set returns the member's message.
func (s *scenario) set(msg protoreflect.Message, path, v string, now time.Time) (protoreflect.Message, error) {
	name, rest, nested := strings.Cut(path, ".")
	if od := msg.Descriptor().Oneofs().ByName(protoreflect.Name(name)); od != nil && !nested {
		return s.choose(msg, od, v)
	}
	fd := msg.Descriptor().Fields().ByName(protoreflect.Name(name))
	switch {
	case fd == nil:
		return nil, fmt.Errorf("%s has no such field", msg.Descriptor().Name())
	case nested:
		return s.set(msg.Mutable(fd).Message(), rest, v, now)
	case name == "inputs":
		ins, err := regtypes.ParseInputs(v)
		for _, in := range ins {
			msg.Mutable(fd).List().Append(protoreflect.ValueOfMessage(in.ProtoReflect()))
		}
		return nil, err
	case fd.IsList():
		for _, item := range strings.Split(v, ",") {
			val, err := s.scalar(fd, item)
			if err != nil {
				return nil, err
			}
			msg.Mutable(fd).List().Append(val)
		}
		return nil, nil
	case fd.Message() != nil && fd.Message().FullName() == "google.protobuf.Timestamp":
		d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
		if err != nil || !strings.HasPrefix(v, "+") {
			return nil, fmt.Errorf("%q: want +DURATION from the block time", v)
		}
		msg.Set(fd, protoreflect.ValueOfMessage(timestamppb.New(now.Add(d)).ProtoReflect()))
		return nil, nil
	case fd.Message() != nil:
		// A message that is one choice (Action): action=grant-role.
		sub := msg.Mutable(fd).Message()
		if oneofs := sub.Descriptor().Oneofs(); oneofs.Len() == 1 {
			return s.choose(sub, oneofs.Get(0), v)
		}
		return nil, fmt.Errorf("set its fields as %s.FIELD=VALUE", name)
	}
	val, err := s.scalar(fd, v)
	if err == nil {
		msg.Set(fd, val)
	}
	return nil, err
}

// choose sets the member v (dashes for underscores) of oneof od of msg and
// returns its message. A module's params start as the params in force, so
// that set-params changes only the fields the script names.
func (s *scenario) choose(msg protoreflect.Message, od protoreflect.OneofDescriptor, v string) (protoreflect.Message, error) {
	fd := od.Fields().ByName(protoreflect.Name(strings.ReplaceAll(v, "-", "_")))
	if fd == nil || fd.Message() == nil {
		var names []string
		for i := range od.Fields().Len() {
			names = append(names, strings.ReplaceAll(string(od.Fields().Get(i).Name()), "_", "-"))
		}
		return nil, fmt.Errorf("%q: want one of %s", v, strings.Join(names, ", "))
	}
	sub := msg.Mutable(fd).Message()
	all := (&govtypes.AllParams{}).ProtoReflect()
	for i := range all.Descriptor().Fields().Len() {
		if pf := all.Descriptor().Fields().Get(i); pf.Message().FullName() == sub.Descriptor().FullName() {
			r := s.d.Query(govkeeper.PathParams, &govtypes.QueryParamsRequest{}, 0, false)
			if err := proto.Unmarshal(r.Value, all.Interface()); r.Code != 0 || err != nil {
				return nil, fmt.Errorf("params in force: %s %v", r.Log, err)
			}
			proto.Merge(sub.Interface(), all.Get(pf).Message().Interface())
		}
	}
	return sub, nil
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
	case protoreflect.BytesKind:
		// A validator key: auto is the one of the party named before,
		// val:NAME that of NAME; anything else is hex.
		if name, ok := strings.CutPrefix(v, "val:"); ok || v == "auto" {
			if !ok {
				name = s.party
			}
			return protoreflect.ValueOfBytes(s.validatorKey(name)), nil
		}
		b, err := hex.DecodeString(v)
		return protoreflect.ValueOfBytes(b), err
	case protoreflect.BoolKind:
		b, err := strconv.ParseBool(v)
		return protoreflect.ValueOfBool(b), err
	case protoreflect.Uint64Kind, protoreflect.Uint32Kind:
		n, err := strconv.ParseUint(v, 10, 64)
		if fd.Kind() == protoreflect.Uint32Kind {
			return protoreflect.ValueOfUint32(uint32(n)), err
		}
		return protoreflect.ValueOfUint64(n), err
	case protoreflect.Int64Kind:
		// Seconds may be given as a duration: term_seconds=90s.
		if d, err := time.ParseDuration(v); err == nil && strings.HasSuffix(string(fd.Name()), "_seconds") {
			return protoreflect.ValueOfInt64(int64(d / time.Second)), nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return protoreflect.ValueOfInt64(n), err
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

// validatorKey is the ed25519 validator key of a name (the one a genesis
// department of that name runs), shown as val:NAME.
func (s *scenario) validatorKey(name string) []byte {
	k := apptest.ValidatorKey(seed(name))
	s.addName(base64.StdEncoding.EncodeToString(k), "val:"+name)
	return k
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
