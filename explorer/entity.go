package explorer

import (
	"context"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/address"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	marketkeeper "github.com/datarights/datarights/x/market/keeper"
	markettypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// idRe matches the ids the explorer shows pages for.
var idRe = regexp.MustCompile(`^(a|r|au|l|t)-[1-9][0-9]{0,18}$`)

// linkRe matches every id or address worth a link.
var linkRe = regexp.MustCompile(`^((a|r|au|l|t|b|q|w|p)-[1-9][0-9]{0,18}|0x[0-9a-fA-F]{40})$`)

// Normalize turns what a person typed into the id or canonical address the
// ledger uses, or reports that it is neither.
func Normalize(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		a, err := address.Normalize("0x" + s[2:])
		return a, err == nil
	}
	s = strings.ToLower(s)
	return s, idRe.MatchString(s)
}

// Entity is one ledger entry as the entity page shows it.
type Entity struct {
	ID      string
	Kind    string // asset, product, right, authorization, listing, trade, party
	Title   string
	Message proto.Message
	Answer  Answer
}

// fetch reads the entity id names from the ledger.
func fetch(ctx context.Context, l *Ledger, id string) (*Entity, error) {
	e := &Entity{ID: id}
	var path string
	var req proto.Message
	switch {
	case strings.HasPrefix(id, "0x"):
		p := &idtypes.Party{}
		e.Kind, e.Message, e.Title = "party", p, ""
		path, req = idkeeper.PathParty, &idtypes.QueryPartyRequest{Address: id}
	case strings.HasPrefix(id, "au-"):
		e.Kind, e.Message = "authorization", &authtypes.Authorization{}
		path, req = authkeeper.PathShow, &authtypes.QueryAuthorizationRequest{Id: id}
	case strings.HasPrefix(id, "a-"):
		e.Kind, e.Message = "asset", &regtypes.Asset{}
		path, req = regkeeper.PathAsset, &regtypes.QueryAssetRequest{Id: id}
	case strings.HasPrefix(id, "r-"):
		e.Kind, e.Message = "right", &rightstypes.Right{}
		path, req = rightskeeper.PathRight, &rightstypes.QueryRightRequest{Id: id}
	case strings.HasPrefix(id, "l-"):
		e.Kind, e.Message = "listing", &markettypes.Listing{}
		path, req = marketkeeper.PathListing, &markettypes.QueryListingRequest{Id: id}
	case strings.HasPrefix(id, "t-"):
		e.Kind, e.Message = "trade", &markettypes.Trade{}
		path, req = marketkeeper.PathTrade, &markettypes.QueryTradeRequest{Id: id}
	default:
		return nil, fmt.Errorf("%q is not an id the explorer shows", id)
	}
	ans, err := l.Ask(ctx, path, req, e.Message)
	e.Answer = ans
	if err != nil {
		return nil, err
	}
	switch m := e.Message.(type) {
	case *idtypes.Party:
		e.Title = m.Name
	case *regtypes.Asset:
		e.Title = m.Name
		if m.Kind == regtypes.AssetKind_ASSET_KIND_DATA_PRODUCT {
			e.Kind = "product"
		}
	case *rightstypes.Right:
		e.Title = m.Kind.String()
	case *authtypes.Authorization:
		e.Title = m.Status.String()
	case *markettypes.Listing:
		e.Title = m.Kind.String()
	case *markettypes.Trade:
		e.Title = m.AssetId
	}
	return e, nil
}

// Field is one labelled field of an entity's state.
type Field struct {
	Name   string // the protobuf field name
	Label  string
	Values []Value
}

// Value is one shown value, a link when it names another entity.
type Value struct {
	Text, Href string
}

// fields lists m's set fields in declaration order, formatted for w.
func fields(m proto.Message, w words) []Field {
	var out []Field
	r := m.ProtoReflect()
	fds := r.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if !r.Has(fd) {
			continue
		}
		f := Field{Name: string(fd.Name()), Label: w.T("f." + string(fd.Name()))}
		v := r.Get(fd)
		if fd.IsList() {
			l := v.List()
			for j := 0; j < l.Len(); j++ {
				f.Values = append(f.Values, value(fd, l.Get(j), w))
			}
		} else {
			f.Values = []Value{value(fd, v, w)}
		}
		out = append(out, f)
	}
	return out
}

// value formats one field value: enums translated, times in China time,
// fen as yuan, ids and addresses as links, nested messages inline.
func value(fd protoreflect.FieldDescriptor, v protoreflect.Value, w words) Value {
	switch fd.Kind() {
	case protoreflect.EnumKind:
		ev := fd.Enum().Values().ByNumber(v.Enum())
		if ev == nil {
			return Value{Text: fmt.Sprint(v.Enum())}
		}
		return Value{Text: w.Word(string(ev.Name()))}
	case protoreflect.BoolKind:
		return Value{Text: w.T(fmt.Sprintf("bool.%t", v.Bool()))}
	case protoreflect.BytesKind:
		return Value{Text: strings.ToUpper(hex.EncodeToString(v.Bytes()))}
	case protoreflect.StringKind:
		s := v.String()
		if linkRe.MatchString(s) {
			return Value{Text: s, Href: EntityHref(s)}
		}
		return Value{Text: s}
	case protoreflect.Uint64Kind:
		if strings.HasSuffix(string(fd.Name()), "_fen") {
			return Value{Text: fmt.Sprintf("¥%s (%d %s)", yuan(v.Uint()), v.Uint(), w.T("unit.fen"))}
		}
	case protoreflect.MessageKind:
		return messageValue(v.Message().Interface(), w)
	}
	return Value{Text: v.String()}
}

// messageValue shows a nested message on one line ("label: value; ...");
// a nested message that names one entity (an input) links to it.
func messageValue(m proto.Message, w words) Value {
	if ts, ok := m.(*timestamppb.Timestamp); ok {
		return Value{Text: ChinaTime(ts.AsTime())}
	}
	var parts []string
	var href string
	for _, f := range fields(m, w) {
		var texts []string
		for _, v := range f.Values {
			texts = append(texts, v.Text)
			if v.Href != "" && href == "" && (f.Name == "asset_id" || f.Name == "id") {
				href = v.Href
			}
		}
		parts = append(parts, f.Label+": "+strings.Join(texts, ", "))
	}
	return Value{Text: strings.Join(parts, "; "), Href: href}
}

// chinaZone is fixed UTC+8 (no time-zone database needed).
var chinaZone = time.FixedZone("UTC+8", 8*3600)

// ChinaTime formats a block time in China time.
func ChinaTime(t time.Time) string { return t.In(chinaZone).Format("2006-01-02 15:04:05 (UTC+8)") }

// EntityHref is the page of an id or address.
func EntityHref(id string) string { return "/e/" + id }
