package keeper_test

import (
	"math"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/internal/testkit"
	"github.com/datarights/datarights/x/market/types"
)

func TestMoney(t *testing.T) {
	runCases(t, []msgCase{
		{name: "the exchange credits a deposit", actor: exch,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: ent1, AmountFen: 500, BankRef: "ICBC-1"} },
			check: func(t *testing.T, f *fixture, id string) {
				if id != ent1 || f.available(ent1) != 500 {
					t.Fatalf("id %s, balance %v", id, f.balance(ent1))
				}
				if s := f.k.Supply(f.tree); s.DepositsFen != fundsBuyer+fundsOther+500 || s.BalancesFen != s.DepositsFen {
					t.Fatalf("supply %v", s)
				}
				if !testkit.HasEvent(f.events, types.EventDeposited, types.AttrParty, ent1, types.AttrBankRef, "ICBC-1", types.AttrAmountFen, "500") {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "a deposit by a non-exchange", actor: ent1, want: types.ErrNotExchange,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: ent1, AmountFen: 500, BankRef: "ICBC-1"} }},
		{name: "a bank reference credited twice", actor: exch, want: types.ErrDuplicateBankRef,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: ent1, AmountFen: 500, BankRef: "DEP-1"} }},
		{name: "a deposit to a non-party", actor: exch, want: errNoParty,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: nobody, AmountFen: 500, BankRef: "X-1"} }},
		{name: "a zero deposit", actor: exch, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: ent1, BankRef: "X-1"} }},
		{name: "a bad bank reference", actor: exch, want: types.ErrInvalidFields,
			msg: func(f *fixture) proto.Message { return &types.MsgDeposit{To: ent1, AmountFen: 1, BankRef: "a b"} }},
		{name: "a deposit that overflows the supply", actor: exch, want: types.ErrOverflow,
			msg: func(f *fixture) proto.Message {
				return &types.MsgDeposit{To: ent1, AmountFen: math.MaxUint64 - fundsBuyer, BankRef: "X-1"}
			}},
		{name: "a withdrawal request locks the amount", actor: ent2,
			msg: func(f *fixture) proto.Message { return &types.MsgRequestWithdrawal{AmountFen: 400} },
			check: func(t *testing.T, f *fixture, id string) {
				if b := f.balance(ent2); id != "w-1" || b.AvailableFen != fundsBuyer-400 || b.LockedFen != 400 {
					t.Fatalf("id %s, balance %v", id, b)
				}
				if !testkit.HasEvent(f.events, types.EventWithdrawalRequested, types.AttrWithdrawalID, "w-1", types.AttrParty, ent2) {
					t.Fatalf("events %v", f.events)
				}
			}},
		{name: "a withdrawal request above the balance", actor: ent2, want: types.ErrInsufficientFunds,
			msg: func(f *fixture) proto.Message { return &types.MsgRequestWithdrawal{AmountFen: fundsBuyer + 1} }},
		{name: "the exchange pays a requested withdrawal", actor: exch,
			setup: func(f *fixture) { f.must(ent2, &types.MsgRequestWithdrawal{AmountFen: 400}) },
			msg:   func(f *fixture) proto.Message { return &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "OUT-1"} },
			check: func(t *testing.T, f *fixture, id string) {
				if b := f.balance(ent2); b.AvailableFen != fundsBuyer-400 || b.LockedFen != 0 {
					t.Fatalf("balance %v", b)
				}
				s := f.k.Supply(f.tree)
				if s.WithdrawalsFen != 400 || s.EscrowFen != 0 || s.BalancesFen != fundsBuyer+fundsOther-400 {
					t.Fatalf("supply %v", s)
				}
				w, _ := f.k.Withdrawal(f.tree, id)
				if w.Status != types.WithdrawalStatus_WITHDRAWAL_STATUS_PAID || w.BankRef != "OUT-1" || w.PaidBy != exch {
					t.Fatalf("withdrawal %v", w)
				}
			}},
		{name: "a withdrawal without a request", actor: exch, want: types.ErrWithdrawalNotFound,
			msg: func(f *fixture) proto.Message { return &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "OUT-1"} }},
		{name: "a withdrawal paid twice", actor: exch, want: types.ErrWithdrawalNotRequested,
			setup: func(f *fixture) {
				f.must(ent2, &types.MsgRequestWithdrawal{AmountFen: 400})
				f.must(exch, &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "OUT-1"})
			},
			msg: func(f *fixture) proto.Message { return &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "OUT-2"} }},
		{name: "a withdrawal paid with a used bank reference", actor: exch, want: types.ErrDuplicateBankRef,
			setup: func(f *fixture) { f.must(ent2, &types.MsgRequestWithdrawal{AmountFen: 400}) },
			msg:   func(f *fixture) proto.Message { return &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "DEP-1"} }},
		{name: "a withdrawal paid by a non-exchange", actor: ent2, want: types.ErrNotExchange,
			setup: func(f *fixture) { f.must(ent2, &types.MsgRequestWithdrawal{AmountFen: 400}) },
			msg:   func(f *fixture) proto.Message { return &types.MsgWithdraw{WithdrawalId: "w-1", BankRef: "OUT-1"} }},
	})
}

// TestBalanceOverflow: a credit that would overflow one balance is refused
// (the supply total is larger than any balance, so it overflows first;
// both are checked).
func TestBalanceOverflow(t *testing.T) {
	f := newFixture(t, nil)
	f.rejects(exch, &types.MsgDeposit{To: ent1, AmountFen: math.MaxUint64, BankRef: "BIG"}, types.ErrOverflow)
	if _, err := types.Add("x", math.MaxUint64, 1); err == nil {
		t.Fatal("Add overflowed silently")
	}
	if _, err := types.Mul("x", math.MaxUint64/2+1, 2); err == nil {
		t.Fatal("Mul overflowed silently")
	}
}
