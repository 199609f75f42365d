// Package cli holds the market commands: `tx market ...` and `query market
// ...` (交易、结算、支付). Input is checked here, with the same stateless
// checks the state machine runs (types' ValidateBasic), before anything is
// signed.
package cli

import (
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/market/types"
	rightstypes "github.com/datarights/datarights/x/rights/types"
)

// TxCmd is `tx market`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "market", Short: "data trading and settlement (数据交易、结算、支付): balances, listings (挂牌), purchases, bids"}
	cmd.AddCommand(depositCmd(), requestWithdrawalCmd(), withdrawCmd(), listCmd(), cancelListingCmd(), buyCmd(),
		bidCmd(), acceptBidCmd(), cancelBidCmd())
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

// expiry parses --expires: an RFC 3339 time, or a duration from now
// ("72h"), which the CLI turns into a time with the local clock.
func expiry(s string) (*timestamppb.Timestamp, error) {
	if s == "" {
		return nil, nil // ValidateBasic names the missing field
	}
	if d, err := time.ParseDuration(s); err == nil {
		return timestamppb.New(time.Now().Add(d).Truncate(time.Second)), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, types.ErrInvalidFields.Wrapf("--expires %q: give an RFC 3339 time (2026-12-31T00:00:00Z) or a duration from now (72h)", s)
	}
	return timestamppb.New(t), nil
}

// scopeFlags are the licence terms of a listing or a bid.
type scopeFlags struct {
	purposes, operations string
	privacy              bool
	seconds              int64
}

func (s *scopeFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.operations, "operations", "", "operations each licence allows, comma-separated: query,compute,train,derive,redistribute")
	f.StringVar(&s.purposes, "purposes", "", "purposes each licence allows, comma-separated (default: any the right allows)")
	f.BoolVar(&s.privacy, "privacy-computing-only", false, "privacy-preserving computation only (隐私计算)")
	f.Int64Var(&s.seconds, "license-seconds", 0, "each licence's term in seconds, from the purchase")
}

func (s *scopeFlags) scope() (*rightstypes.Scope, error) {
	ops, err := rightstypes.ParseOperations(s.operations)
	if err != nil {
		return nil, err
	}
	return &rightstypes.Scope{Purposes: rightstypes.SplitList(s.purposes), Operations: ops, PrivacyComputingOnly: s.privacy}, nil
}

func depositCmd() *cobra.Command {
	var to, ref string
	var amount uint64
	cmd := &cobra.Command{
		Use:   "deposit --to ADDR --amount FEN --bank-ref REF",
		Short: "the exchange credits a deposit received in the bank (入金); once per bank reference",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &types.MsgDeposit{To: to, AmountFen: amount, BankRef: ref}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_Deposit{Deposit: m}})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the party whose clearing balance is credited")
	cmd.Flags().Uint64Var(&amount, "amount", 0, "amount in fen (分)")
	cmd.Flags().StringVar(&ref, "bank-ref", "", "the bank transfer's reference (unique)")
	return cmd
}

func requestWithdrawalCmd() *cobra.Command {
	var amount uint64
	cmd := &cobra.Command{
		Use:   "request-withdrawal --amount FEN",
		Short: "ask the exchange to pay out part of your balance (申请出金); the amount is locked until paid",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &types.MsgRequestWithdrawal{AmountFen: amount}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_RequestWithdrawal{RequestWithdrawal: m}})
		},
	}
	cmd.Flags().Uint64Var(&amount, "amount", 0, "amount in fen (分)")
	return cmd
}

func withdrawCmd() *cobra.Command {
	var ref string
	cmd := &cobra.Command{
		Use:   "withdraw W --bank-ref REF",
		Short: "the exchange pays a requested withdrawal out (出金结算)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgWithdraw{WithdrawalId: args[0], BankRef: ref}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_Withdraw{Withdraw: m}})
		},
	}
	cmd.Flags().StringVar(&ref, "bank-ref", "", "the payout's bank reference (unique)")
	return cmd
}

func listCmd() *cobra.Command {
	var kind, expires string
	var price, quantity uint64
	var terms scopeFlags
	cmd := &cobra.Command{
		Use: "list RIGHT --kind transfer|license --price FEN [--quantity N] --expires T " +
			"[--operations OPS --license-seconds S [--purposes P] [--privacy-computing-only]]",
		Short: "offer a right, or licences cut from it, for sale (挂牌)",
		Long: "A transfer listing sells the (transferable) right itself, one unit. A licence listing sells up to\n" +
			"--quantity licences; each purchase mints a new use right from RIGHT with the listing's scope and term.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := types.ParseKind(kind)
			if err != nil {
				return err
			}
			exp, err := expiry(expires)
			if err != nil {
				return err
			}
			m := &types.MsgList{RightId: args[0], Kind: k, PriceFen: price, Quantity: quantity, Expires: exp}
			if k == types.ListingKind_LISTING_KIND_LICENSE {
				if m.Scope, err = terms.scope(); err != nil {
					return err
				}
				m.LicenseSeconds = terms.seconds
			}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_List{List: m}})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "license", "transfer (sell the right) or license (sell licences from it)")
	cmd.Flags().Uint64Var(&price, "price", 0, "price per unit in fen (分)")
	cmd.Flags().Uint64Var(&quantity, "quantity", 1, "units for sale")
	cmd.Flags().StringVar(&expires, "expires", "", "when the offer ends: an RFC 3339 time or a duration from now (72h)")
	terms.register(cmd)
	return cmd
}

func cancelListingCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "cancel-listing LISTING",
		Short: "the seller withdraws an open listing (撤销挂牌)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgCancelListing{ListingId: args[0]}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_CancelListing{CancelListing: m}})
		},
	}
}

func buyCmd() *cobra.Command {
	var quantity, maxPrice uint64
	cmd := &cobra.Command{
		Use:   "buy LISTING [--quantity N] --max-price FEN",
		Short: "buy from a listing: payment, revenue split and delivery in one tx (交易结算, 券款对付)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgBuy{ListingId: args[0], Quantity: quantity, MaxPriceFen: maxPrice}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_Buy{Buy: m}})
		},
	}
	cmd.Flags().Uint64Var(&quantity, "quantity", 1, "units to buy")
	cmd.Flags().Uint64Var(&maxPrice, "max-price", 0, "the most you pay per unit, in fen: protects against a changed price")
	return cmd
}

func bidCmd() *cobra.Command {
	var asset, expires string
	var price uint64
	var terms scopeFlags
	cmd := &cobra.Command{
		Use:   "bid --asset ID --price FEN --operations OPS --license-seconds S --expires T [--purposes P] [--privacy-computing-only]",
		Short: "offer a price for a licence on an asset (竞买出价); the price is held in escrow",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			exp, err := expiry(expires)
			if err != nil {
				return err
			}
			s, err := terms.scope()
			if err != nil {
				return err
			}
			m := &types.MsgBid{AssetId: asset, Scope: s, LicenseSeconds: terms.seconds, PriceFen: price, Expires: exp}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_Bid{Bid: m}})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "the asset to licence")
	cmd.Flags().Uint64Var(&price, "price", 0, "the price offered, in fen (分)")
	cmd.Flags().StringVar(&expires, "expires", "", "when the bid ends: an RFC 3339 time or a duration from now (72h)")
	terms.register(cmd)
	return cmd
}

func acceptBidCmd() *cobra.Command {
	var right string
	cmd := &cobra.Command{
		Use:   "accept-bid BID --right RIGHT",
		Short: "a holder accepts a bid, licensing from RIGHT; the escrow is settled (成交)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgAcceptBid{BidId: args[0], RightId: right}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_AcceptBid{AcceptBid: m}})
		},
	}
	cmd.Flags().StringVar(&right, "right", "", "your right the licence is granted from")
	return cmd
}

func cancelBidCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "cancel-bid BID",
		Short: "the buyer withdraws an open bid; the escrow returns (撤销出价)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgCancelBid{BidId: args[0]}
			return client.SendChecked(cmd, m, &tx.Msg{Sum: &tx.Msg_CancelBid{CancelBid: m}})
		},
	}
}
