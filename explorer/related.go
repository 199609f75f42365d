package explorer

import (
	"context"
	"fmt"
	"strings"

	"github.com/datarights/datarights/query"
	authkeeper "github.com/datarights/datarights/x/authorization/keeper"
	authtypes "github.com/datarights/datarights/x/authorization/types"
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

// relatedLimit bounds each related list on an entity page (one page of
// the list query).
const relatedLimit = 50

// Section is a titled list of related records.
type Section struct {
	Title string
	Rows  []Row
	More  bool // the list has more than is shown
	Err   string
}

// Row is one related record: its id (a link) and a one-line summary.
type Row struct {
	ID, Href, Text string
}

// related lists the records next to e: rights, listings, trades,
// authorisations and distributions of an asset; rights, trades,
// authorisations and catalogued resources of a party; children of a
// right; distribution of a trade.
func related(ctx context.Context, l *Ledger, e *Entity, w words) []Section {
	page := &query.PageRequest{Limit: relatedLimit}
	var out []Section
	add := func(title string, rows []Row, next *query.PageResponse, err error) {
		s := Section{Title: w.T(title), Rows: rows, More: len(next.GetNextKey()) > 0}
		if err != nil {
			s.Err = err.Error()
		}
		out = append(out, s)
	}
	rights := func(title string, req *rightstypes.QueryRightsRequest) {
		resp := &rightstypes.QueryRightsResponse{}
		_, err := l.Ask(ctx, rightskeeper.PathList, req, resp)
		add(title, rightRows(resp.Rights, w), resp.Page, err)
	}
	trades := func(title string, req *markettypes.QueryTradesRequest) {
		resp := &markettypes.QueryTradesResponse{}
		_, err := l.Ask(ctx, marketkeeper.PathTrades, req, resp)
		add(title, tradeRows(resp.Trades, w), resp.Page, err)
	}
	auths := func(title string, req *authtypes.QueryAuthorizationsRequest) {
		resp := &authtypes.QueryAuthorizationsResponse{}
		_, err := l.Ask(ctx, authkeeper.PathList, req, resp)
		add(title, authRows(resp.Authorizations, w), resp.Page, err)
	}
	dists := func(req *revtypes.QueryDistributionsRequest) {
		resp := &revtypes.QueryDistributionsResponse{}
		_, err := l.Ask(ctx, revkeeper.PathDistributions, req, resp)
		add("entity.distributions", distRows(resp.Distributions, w), resp.Page, err)
	}
	switch m := e.Message.(type) {
	case *regtypes.Asset:
		rights("entity.rights", &rightstypes.QueryRightsRequest{AssetId: m.Id, Page: page})
		listings := &markettypes.QueryListingsResponse{}
		_, err := l.Ask(ctx, marketkeeper.PathListings, &markettypes.QueryListingsRequest{AssetId: m.Id, Page: page}, listings)
		add("entity.listings", listingRows(listings.Listings, w), listings.Page, err)
		trades("entity.trades", &markettypes.QueryTradesRequest{AssetId: m.Id, Page: page})
		auths("entity.authorizations", &authtypes.QueryAuthorizationsRequest{AssetId: m.Id, Page: page})
		dists(&revtypes.QueryDistributionsRequest{AssetId: m.Id, Page: page})
	case *idtypes.Party:
		rights("entity.held", &rightstypes.QueryRightsRequest{Holder: m.Address, Page: page})
		trades("f.buyer", &markettypes.QueryTradesRequest{Buyer: m.Address, Page: page})
		trades("f.seller", &markettypes.QueryTradesRequest{Seller: m.Address, Page: page})
		auths("f.operator", &authtypes.QueryAuthorizationsRequest{Operator: m.Address, Page: page})
		auths("f.authoriser", &authtypes.QueryAuthorizationsRequest{Authoriser: m.Address, Page: page})
		assets := &regtypes.QueryAssetsResponse{}
		_, err := l.Ask(ctx, regkeeper.PathAssets, &regtypes.QueryAssetsRequest{SourceDepartment: m.Address, Page: page}, assets)
		add("f.source_department", assetRows(assets.Assets, w), assets.Page, err)
	case *rightstypes.Right:
		resp := &rightstypes.QueryRightsResponse{}
		_, err := l.Ask(ctx, rightskeeper.PathChildren, &rightstypes.QueryChildrenRequest{Id: m.Id, Page: page}, resp)
		add("edge.sublicensed_from", rightRows(resp.Rights, w), resp.Page, err)
	case *markettypes.Trade:
		dists(&revtypes.QueryDistributionsRequest{TradeId: m.Id, Page: page})
	}
	return out
}

func rightRows(rs []*rightstypes.Right, w words) []Row {
	rows := make([]Row, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, Row{ID: r.Id, Href: EntityHref(r.Id), Text: join(w.T(r.Kind.String()), w.T(r.Status.String()), r.AssetId, r.Holder)})
	}
	return rows
}

func tradeRows(ts []*markettypes.Trade, w words) []Row {
	rows := make([]Row, 0, len(ts))
	for _, t := range ts {
		rows = append(rows, Row{ID: t.Id, Href: EntityHref(t.Id), Text: join(t.AssetId, "¥"+yuan(t.AmountFen), fmt.Sprintf("×%d", t.Quantity), ChinaTime(t.Time.AsTime()))})
	}
	return rows
}

func listingRows(ls []*markettypes.Listing, w words) []Row {
	rows := make([]Row, 0, len(ls))
	for _, x := range ls {
		rows = append(rows, Row{ID: x.Id, Href: EntityHref(x.Id), Text: join(w.T(x.Kind.String()), w.T(x.Status.String()), "¥"+yuan(x.PriceFen))})
	}
	return rows
}

func authRows(as []*authtypes.Authorization, w words) []Row {
	rows := make([]Row, 0, len(as))
	for _, a := range as {
		rows = append(rows, Row{ID: a.Id, Href: EntityHref(a.Id), Text: join(w.T(a.Status.String()), a.Operator, strings.Join(a.AssetIds, ","))})
	}
	return rows
}

func assetRows(as []*regtypes.Asset, w words) []Row {
	rows := make([]Row, 0, len(as))
	for _, a := range as {
		rows = append(rows, Row{ID: a.Id, Href: EntityHref(a.Id), Text: join(a.Name, w.T(a.Classification.String()), w.T(a.Grade.String()), w.T(a.Status.String()))})
	}
	return rows
}

func distRows(ds []*revtypes.Distribution, w words) []Row {
	rows := make([]Row, 0, len(ds))
	for _, d := range ds {
		var lines []string
		for _, ln := range d.Lines {
			lines = append(lines, fmt.Sprintf("%s ¥%s → %s", w.T(ln.Kind.String()), yuan(ln.AmountFen), ln.Beneficiary))
		}
		rows = append(rows, Row{ID: d.TradeId, Href: EntityHref(d.TradeId), Text: join("¥"+yuan(d.AmountFen), strings.Join(lines, "; "))})
	}
	return rows
}

func join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " · ")
}
