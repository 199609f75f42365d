package explorer

import (
	"cmp"
	"context"
	"html/template"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
	idkeeper "github.com/datarights/datarights/x/identity/keeper"
	idtypes "github.com/datarights/datarights/x/identity/types"
	marketkeeper "github.com/datarights/datarights/x/market/keeper"
	markettypes "github.com/datarights/datarights/x/market/types"
	regkeeper "github.com/datarights/datarights/x/registry/keeper"
	regtypes "github.com/datarights/datarights/x/registry/types"
	revkeeper "github.com/datarights/datarights/x/revenue/keeper"
	revtypes "github.com/datarights/datarights/x/revenue/types"
	rightskeeper "github.com/datarights/datarights/x/rights/keeper"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// MaxPages bounds how many pages (of query.MaxLimit records) the
// dashboard reads from each list: it counts at most MaxPages*MaxLimit
// records of a kind and says so when it stops early.
const MaxPages = 20

// Dashboard is the city page: counts and series drawn as charts.
type Dashboard struct {
	Height     int64
	Charts     []Chart
	MaxRecords int // a capped chart counted this many records
}

// Chart is one titled chart, with a note when its counting was capped.
type Chart struct {
	ID, Title string
	SVG       template.HTML
	Total     string
	Capped    bool
	Err       string
	Empty     bool
}

// pager is a list response.
type pager interface {
	proto.Message
	GetPage() *query.PageResponse
}

// walk pages through a list query, calling each on every page, up to
// MaxPages; it reports whether it stopped before the end.
func walk[R pager](ctx context.Context, l *Ledger, path string, req func(*query.PageRequest) proto.Message, each func(R)) (capped bool, height int64, err error) {
	var key []byte
	for i := 0; i < MaxPages; i++ {
		resp := newOf[R]()
		ans, err := l.Ask(ctx, path, req(&query.PageRequest{Key: key, Limit: query.MaxLimit}), resp)
		if err != nil {
			return false, ans.Height, err
		}
		height = ans.Height
		each(resp)
		if key = resp.GetPage().GetNextKey(); len(key) == 0 {
			return false, height, nil
		}
	}
	return true, height, nil
}

// newOf makes a fresh message of R's type.
func newOf[R pager]() R {
	var zero R
	return zero.ProtoReflect().New().Interface().(R)
}

// dash is one dashboard being built: where it reads and what it has.
type dash struct {
	ctx context.Context
	l   *Ledger
	w   words
	d   *Dashboard
}

// buildDashboard reads the lists and draws the charts.
func buildDashboard(ctx context.Context, l *Ledger, w words) *Dashboard {
	b := &dash{ctx: ctx, l: l, w: w, d: &Dashboard{MaxRecords: MaxPages * query.MaxLimit}}
	b.assets()
	b.rights()
	b.authorizations()
	b.trades()
	b.fund()
	return b.d
}

// add appends a chart with how its counting went.
func (b *dash) add(c Chart, capped bool, h int64, err error) {
	c.Capped = capped
	if err != nil {
		c.Err = err.Error()
	}
	b.d.Height = max(b.d.Height, h)
	b.d.Charts = append(b.d.Charts, c)
}

// assets: data resources by source department, classification and grade.
func (b *dash) assets() {
	byDept := map[string]uint64{}
	var deptOrder []string
	byClass := make([]uint64, len(regtypes.Classification_name))
	byGrade := make([]uint64, len(regtypes.Grade_name))
	capped, h, err := walk(b.ctx, b.l, regkeeper.PathAssets, func(p *query.PageRequest) proto.Message { return &regtypes.QueryAssetsRequest{Page: p} },
		func(r *regtypes.QueryAssetsResponse) {
			for _, a := range r.Assets {
				if _, seen := byDept[a.SourceDepartment]; !seen {
					deptOrder = append(deptOrder, a.SourceDepartment)
				}
				byDept[a.SourceDepartment]++
				byClass[a.Classification]++
				byGrade[a.Grade]++
			}
		})
	var bars []Bar
	for _, dept := range deptOrder {
		bars = append(bars, Bar{Label: b.departmentName(dept), Value: byDept[dept], Href: EntityHref(dept)})
	}
	slices.SortStableFunc(bars, func(x, y Bar) int { return cmp.Compare(y.Value, x.Value) })
	b.add(barChart("chart-assets-department", b.w.T("dash.assets_by_department"), bars, groupDigits), capped, h, err)
	b.add(barChart("chart-assets-classification", b.w.T("dash.assets_by_classification"), enumBars(byClass, regtypes.Classification_name, b.w), groupDigits), capped, h, err)
	b.add(barChart("chart-assets-grade", b.w.T("dash.assets_by_grade"), enumBars(byGrade, regtypes.Grade_name, b.w), groupDigits), capped, h, err)
}

func (b *dash) departmentName(addr string) string {
	if addr == "" {
		return b.w.T("entity.none")
	}
	p := &idtypes.Party{}
	if _, err := b.l.Ask(b.ctx, idkeeper.PathParty, &idtypes.QueryPartyRequest{Address: addr}, p); err != nil {
		return b.w.T("dash.unknown_department")
	}
	return p.Name
}

// rights: active rights by kind (三权).
func (b *dash) rights() {
	byKind := make([]uint64, len(rightstypes.RightKind_name))
	capped, h, err := walk(b.ctx, b.l, rightskeeper.PathList, func(p *query.PageRequest) proto.Message {
		return &rightstypes.QueryRightsRequest{Status: rightstypes.RightStatus_RIGHT_STATUS_ACTIVE, Page: p}
	}, func(r *rightstypes.QueryRightsResponse) {
		for _, x := range r.Rights {
			byKind[x.Kind]++
		}
	})
	b.add(barChart("chart-rights-kind", b.w.T("dash.rights_by_kind"), enumBars(byKind, rightstypes.RightKind_name, b.w), groupDigits), capped, h, err)
}

// authorizations: authorisations by status.
func (b *dash) authorizations() {
	byStatus := make([]uint64, len(authtypes.AuthorizationStatus_name))
	capped, h, err := walk(b.ctx, b.l, authkeeper.PathList, func(p *query.PageRequest) proto.Message { return &authtypes.QueryAuthorizationsRequest{Page: p} },
		func(r *authtypes.QueryAuthorizationsResponse) {
			for _, a := range r.Authorizations {
				byStatus[a.Status]++
			}
		})
	b.add(barChart("chart-auth-status", b.w.T("dash.auth_by_status"), enumBars(byStatus, authtypes.AuthorizationStatus_name, b.w), groupDigits), capped, h, err)
}

// trades: trade volume by time bucket.
func (b *dash) trades() {
	var when []time.Time
	var amounts []uint64
	var volume uint64
	capped, h, err := walk(b.ctx, b.l, marketkeeper.PathTrades, func(p *query.PageRequest) proto.Message { return &markettypes.QueryTradesRequest{Page: p} },
		func(r *markettypes.QueryTradesResponse) {
			for _, t := range r.Trades {
				when, amounts = append(when, t.Time.AsTime()), append(amounts, t.AmountFen)
				volume += t.AmountFen
			}
		})
	c := barChart("chart-trade-volume", b.w.T("dash.trade_volume"), timeBuckets(when, amounts), yuan)
	c.Total = "¥" + yuan(volume) + " · " + groupDigits(uint64(len(when))) + " " + b.w.T("dash.trades")
	b.add(c, capped, h, err)
}

// fund: the public service fund (反哺公共服务), cumulative, one point per
// distribution that paid it.
func (b *dash) fund() {
	var pts []Point
	var total, cum uint64
	capped, h, err := walk(b.ctx, b.l, revkeeper.PathFund, func(p *query.PageRequest) proto.Message { return &revtypes.QueryFundRequest{Page: p} },
		func(r *revtypes.QueryFundResponse) {
			total = r.TotalFen
			for _, dist := range r.History {
				for _, ln := range dist.Lines {
					if ln.Beneficiary == r.Address {
						cum += ln.AmountFen
					}
				}
				pts = append(pts, Point{X: dist.Time.AsTime().Unix(), Y: cum, Label: ChinaTime(dist.Time.AsTime())})
			}
		})
	c := Chart{ID: "chart-fund", Title: b.w.T("dash.fund"), SVG: LineChart("chart-fund", pts, yuan), Total: "¥" + yuan(total), Empty: len(pts) == 0}
	b.add(c, capped, h, err)
}

func barChart(id, title string, bars []Bar, format func(uint64) string) Chart {
	var total uint64
	for _, b := range bars {
		total += b.Value
	}
	return Chart{ID: id, Title: title, SVG: BarChart(id, bars, format), Total: format(total), Empty: total == 0}
}

// enumBars is one bar per defined enum value but the unspecified one
// (0), in enum order, translated.
func enumBars(counts []uint64, names map[int32]string, w words) []Bar {
	var bars []Bar
	for v := 1; v < len(counts); v++ {
		bars = append(bars, Bar{Label: w.T(names[int32(v)]), Value: counts[v]})
	}
	return bars
}

// bucketSizes are the time buckets a series may use, smallest first: the
// first that gives at most maxBuckets buckets is used.
var bucketSizes = []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour}

const maxBuckets = 24

// timeBuckets sums values by time bucket, labelled with each bucket's
// start in China time, in time order.
func timeBuckets(when []time.Time, values []uint64) []Bar {
	if len(when) == 0 {
		return nil
	}
	lo, hi := slices.MinFunc(when, time.Time.Compare), slices.MaxFunc(when, time.Time.Compare)
	size := bucketSizes[len(bucketSizes)-1]
	for _, s := range bucketSizes {
		if int(hi.Sub(lo)/s) < maxBuckets {
			size = s
			break
		}
	}
	sums := map[int64]uint64{}
	var keys []int64
	for i, t := range when {
		k := t.Unix() / int64(size/time.Second)
		if _, ok := sums[k]; !ok {
			keys = append(keys, k)
		}
		sums[k] += values[i]
	}
	slices.Sort(keys)
	layout := "01-02 15:04"
	if size >= 24*time.Hour {
		layout = "2006-01-02"
	}
	bars := make([]Bar, 0, len(keys))
	for _, k := range keys {
		start := time.Unix(k*int64(size/time.Second), 0).In(chinaZone)
		bars = append(bars, Bar{Label: start.Format(layout), Value: sums[k]})
	}
	return bars
}
