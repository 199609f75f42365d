package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/market/keeper"
	"github.com/datarights/datarights/x/market/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// QueryCmd is `query market`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "market", Short: "listings (挂牌), trades (交易), bids, balances and the money supply (结算)"}
	cmd.AddCommand(listingCmd(), listingsCmd(), tradeCmd(), tradesCmd(), bidsCmd(), balanceCmd(), supplyCmd(), withdrawalsCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func stamp(t *timestamppb.Timestamp) string {
	if t == nil {
		return "-"
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneOf refuses more than one of the given filters.
func oneOf(names string, values ...string) error {
	given := 0
	for _, v := range values {
		if v != "" {
			given++
		}
	}
	if given > 1 {
		return types.ErrInvalidFields.Wrapf("give one of %s", names)
	}
	return nil
}

func listingCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "listing ID",
		Short: "show one listing (挂牌); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseID("id", args[0], types.ListingIDPrefix); err != nil {
				return err
			}
			l := &types.Listing{}
			return client.ShowEntity(cmd, keeper.PathListing, &types.QueryListingRequest{Id: args[0]}, "listing", l,
				func(w io.Writer) { printListing(w, l) })
		},
	}
}

func printListing(w io.Writer, l *types.Listing) {
	fmt.Fprintf(w, "id:\t%s\n", l.Id)
	fmt.Fprintf(w, "status:\t%s\n", types.ListingStatusName(l.Status))
	fmt.Fprintf(w, "kind:\t%s\n", types.KindName(l.Kind))
	fmt.Fprintf(w, "seller:\t%s\n", l.Seller)
	fmt.Fprintf(w, "right:\t%s (asset %s)\n", l.RightId, l.AssetId)
	fmt.Fprintf(w, "price:\t%d fen per unit\n", l.PriceFen)
	fmt.Fprintf(w, "left / sold:\t%d / %d\n", l.Quantity, l.Sold)
	if l.Kind == types.ListingKind_LISTING_KIND_LICENSE {
		fmt.Fprintf(w, "licence scope:\t%s\n", rightstypes.Describe(l.Scope))
		fmt.Fprintf(w, "licence term:\t%s\n", time.Duration(l.LicenseSeconds)*time.Second)
	}
	fmt.Fprintf(w, "expires:\t%s\n", stamp(l.Expires))
	fmt.Fprintf(w, "listed at height:\t%d\n", l.Height)
}

func listingsCmd() *cobra.Command {
	var seller, asset, status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "listings [--seller ADDR | --asset ID] [--status STATUS]",
		Short: "list listings (挂牌) by seller or asset (or all), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := oneOf("--seller or --asset", seller, asset); err != nil {
				return err
			}
			req := &types.QueryListingsRequest{Seller: seller, AssetId: asset, Page: page.Request()}
			if status != "" {
				var err error
				if req.Status, err = types.ParseListingStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryListingsResponse{}
			if _, err := client.Ask(cmd, keeper.PathListings, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tSTATUS\tKIND\tSELLER\tRIGHT\tASSET\tPRICE\tLEFT\tEXPIRES")
				for _, l := range resp.Listings {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", l.Id, types.ListingStatusName(l.Status), types.KindName(l.Kind),
						l.Seller, l.RightId, l.AssetId, l.PriceFen, l.Quantity, stamp(l.Expires))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&seller, "seller", "", "only this seller's listings")
	cmd.Flags().StringVar(&asset, "asset", "", "only listings on this asset")
	cmd.Flags().StringVar(&status, "status", "", "open, sold_out, cancelled or expired")
	page.Register(cmd)
	return cmd
}

func tradeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "trade ID",
		Short: "show one trade (交易); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseID("id", args[0], types.TradeIDPrefix); err != nil {
				return err
			}
			t := &types.Trade{}
			return client.ShowEntity(cmd, keeper.PathTrade, &types.QueryTradeRequest{Id: args[0]}, "trade", t,
				func(w io.Writer) { printTrade(w, t) })
		},
	}
}

func printTrade(w io.Writer, t *types.Trade) {
	fmt.Fprintf(w, "id:\t%s\n", t.Id)
	fmt.Fprintf(w, "listing / bid:\t%s / %s\n", orDash(t.ListingId), orDash(t.BidId))
	fmt.Fprintf(w, "buyer:\t%s\n", t.Buyer)
	fmt.Fprintf(w, "seller:\t%s\n", t.Seller)
	fmt.Fprintf(w, "asset:\t%s\n", t.AssetId)
	fmt.Fprintf(w, "quantity:\t%d\n", t.Quantity)
	fmt.Fprintf(w, "amount:\t%d fen\n", t.AmountFen)
	fmt.Fprintf(w, "rights:\t%s\n", strings.Join(t.RightIds, ","))
	fmt.Fprintf(w, "settled:\theight %d, %s, tx %s\n", t.Height, stamp(t.Time), t.TxHash)
}

func tradesCmd() *cobra.Command {
	var buyer, seller, asset string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "trades [--buyer ADDR | --seller ADDR | --asset ID]",
		Short: "list trades (交易) by buyer, seller or asset (or all), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := oneOf("--buyer, --seller or --asset", buyer, seller, asset); err != nil {
				return err
			}
			req := &types.QueryTradesRequest{Buyer: buyer, Seller: seller, AssetId: asset, Page: page.Request()}
			resp := &types.QueryTradesResponse{}
			if _, err := client.Ask(cmd, keeper.PathTrades, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tHEIGHT\tBUYER\tSELLER\tASSET\tQUANTITY\tAMOUNT\tRIGHTS")
				for _, t := range resp.Trades {
					fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%d\t%d\t%s\n", t.Id, t.Height, t.Buyer, t.Seller, t.AssetId, t.Quantity,
						t.AmountFen, strings.Join(t.RightIds, ","))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&buyer, "buyer", "", "only this buyer's trades")
	cmd.Flags().StringVar(&seller, "seller", "", "only this seller's trades")
	cmd.Flags().StringVar(&asset, "asset", "", "only trades of this asset")
	page.Register(cmd)
	return cmd
}

func bidsCmd() *cobra.Command {
	var buyer, asset, status string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "bids [--buyer ADDR | --asset ID] [--status STATUS]",
		Short: "list bids (求购报价) by buyer or asset (or all), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := oneOf("--buyer or --asset", buyer, asset); err != nil {
				return err
			}
			req := &types.QueryBidsRequest{Buyer: buyer, AssetId: asset, Page: page.Request()}
			if status != "" {
				var err error
				if req.Status, err = types.ParseBidStatus(status); err != nil {
					return err
				}
			}
			resp := &types.QueryBidsResponse{}
			if _, err := client.Ask(cmd, keeper.PathBids, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tSTATUS\tBUYER\tASSET\tPRICE\tSCOPE\tTERM\tEXPIRES\tTRADE")
				for _, b := range resp.Bids {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", b.Id, types.BidStatusName(b.Status), b.Buyer, b.AssetId, b.PriceFen,
						rightstypes.Describe(b.Scope), time.Duration(b.LicenseSeconds)*time.Second, stamp(b.Expires), orDash(b.TradeId))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&buyer, "buyer", "", "only this buyer's bids")
	cmd.Flags().StringVar(&asset, "asset", "", "only bids on this asset")
	cmd.Flags().StringVar(&status, "status", "", "open, accepted, cancelled or expired")
	page.Register(cmd)
	return cmd
}

func balanceCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "balance ADDR",
		Short: "an address's clearing balance (结算余额): available and locked, in fen",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAddress("address", args[0]); err != nil {
				return err
			}
			b := &types.Balance{}
			if _, err := client.Ask(cmd, keeper.PathBalance, &types.QueryBalanceRequest{Address: args[0]}, b); err != nil {
				return err
			}
			return client.Print(cmd, b, func(w io.Writer) {
				fmt.Fprintf(w, "address:\t%s\n", b.Address)
				fmt.Fprintf(w, "available:\t%d fen\n", b.AvailableFen)
				fmt.Fprintf(w, "locked:\t%d fen (bids in escrow, requested withdrawals)\n", b.LockedFen)
			})
		},
	}
}

func supplyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "supply",
		Short: "the money supply and its invariant (清算资金总量): deposits - withdrawals == balances + escrow",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := &types.Supply{}
			if _, err := client.Ask(cmd, keeper.PathSupply, &types.QuerySupplyRequest{}, s); err != nil {
				return err
			}
			return client.Print(cmd, s, func(w io.Writer) { printSupply(w, s) })
		},
	}
}

func printSupply(w io.Writer, s *types.Supply) {
	fmt.Fprintf(w, "deposits:\t%d fen\n", s.DepositsFen)
	fmt.Fprintf(w, "withdrawals:\t%d fen\n", s.WithdrawalsFen)
	fmt.Fprintf(w, "balances:\t%d fen\n", s.BalancesFen)
	fmt.Fprintf(w, "escrow:\t%d fen\n", s.EscrowFen)
	verdict := "HOLDS"
	if !s.Holds {
		verdict = "BROKEN"
	}
	fmt.Fprintf(w, "invariant:\t%s (deposits - withdrawals == balances + escrow)\n", verdict)
}

func withdrawalsCmd() *cobra.Command {
	var owner string
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "withdrawals [--owner ADDR]",
		Short: "list withdrawal requests and payouts (出金), one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			resp := &types.QueryWithdrawalsResponse{}
			if _, err := client.Ask(cmd, keeper.PathWithdrawals, &types.QueryWithdrawalsRequest{Owner: owner, Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tSTATUS\tOWNER\tAMOUNT\tBANK REF\tPAID BY")
				for _, x := range resp.Withdrawals {
					fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", x.Id, types.WithdrawalStatusName(x.Status), x.Owner, x.AmountFen,
						orDash(x.BankRef), orDash(x.PaidBy))
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	cmd.Flags().StringVar(&owner, "owner", "", "only this owner's withdrawals")
	page.Register(cmd)
	return cmd
}

func paramsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "params",
		Short: "show the market params (交易参数)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.Params{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				fmt.Fprintf(w, "max_quantity:\t%d\n", p.MaxQuantity)
				fmt.Fprintf(w, "max_expiries_per_block:\t%d\n", p.MaxExpiriesPerBlock)
			})
		},
	}
}
