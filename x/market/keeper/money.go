package keeper

import (
	"context"
	"math/bits"
	"strconv"

	"github.com/datarights/datarights/env"
	"github.com/datarights/datarights/store"
	idtypes "github.com/datarights/datarights/x/identity/types"
	"github.com/datarights/datarights/x/market/types"
)

// Money exists only as clearing balances in fen. Deposit creates it and
// Withdraw destroys it, both signed by the exchange against a unique bank
// reference; every other movement takes from one balance what it gives to
// another. Each balance is available or locked (a bid's escrow, a
// requested withdrawal). The supply record keeps deposits and withdrawals
// and, updated with every movement, the totals of available and locked
// balances, so that the invariant
//
//	deposits - withdrawals == balances + escrow
//
// is checked by reading one key. Every addition is overflow-checked and
// every subtraction checked for funds; a movement computes all its new
// values before it writes any, so a refused movement writes nothing.

// Supply returns the supply record with holds computed.
func (k Keeper) Supply(root store.KV) *types.Supply {
	s := &types.Supply{}
	k.get(root, supplyKey, s)
	held, carry := bits.Add64(s.BalancesFen, s.EscrowFen, 0)
	s.Holds = carry == 0 && s.DepositsFen >= s.WithdrawalsFen && s.DepositsFen-s.WithdrawalsFen == held
	return s
}

func (k Keeper) setSupply(root store.KV, s *types.Supply) {
	s.Holds = false // computed on read
	k.kv(root).Set(supplyKey, store.Encode(s))
}

// Balance returns an address's available and locked fen.
func (k Keeper) Balance(root store.KV, a string) *types.Balance {
	return &types.Balance{Address: a, AvailableFen: k.amount(root, availableKey(a)), LockedFen: k.amount(root, lockedKey(a))}
}

func (k Keeper) amount(root store.KV, key []byte) uint64 {
	if bz := k.kv(root).Get(key); bz != nil {
		return decodeN(bz)
	}
	return 0
}

// setAmount writes an amount; zero deletes the key (values are never empty,
// and an empty balance need not be kept).
func (k Keeper) setAmount(root store.KV, key []byte, v uint64) {
	if v == 0 {
		if k.kv(root).Has(key) {
			k.kv(root).Delete(key)
		}
		return
	}
	k.kv(root).Set(key, u64(v))
}

// credit adds amt to a's available balance and the balances total.
func (k Keeper) credit(root store.KV, a string, amt uint64) error {
	s := k.Supply(root)
	bal, err := types.Add("balance of "+a, k.amount(root, availableKey(a)), amt)
	if err != nil {
		return err
	}
	total, err := types.Add("balances total", s.BalancesFen, amt)
	if err != nil {
		return err
	}
	s.BalancesFen = total
	k.setAmount(root, availableKey(a), bal)
	k.setSupply(root, s)
	return nil
}

// debit takes amt from a's available balance and the balances total.
func (k Keeper) debit(root store.KV, a string, amt uint64) error {
	bal := k.amount(root, availableKey(a))
	if bal < amt {
		return types.ErrInsufficientFunds.Wrapf("%s has %d fen available, needs %d", a, bal, amt)
	}
	s := k.Supply(root)
	s.BalancesFen -= amt // the total includes bal >= amt
	k.setAmount(root, availableKey(a), bal-amt)
	k.setSupply(root, s)
	return nil
}

// lock moves amt of a's available balance to its locked balance.
func (k Keeper) lock(root store.KV, a string, amt uint64) error {
	bal := k.amount(root, availableKey(a))
	if bal < amt {
		return types.ErrInsufficientFunds.Wrapf("%s has %d fen available, needs %d", a, bal, amt)
	}
	locked, err := types.Add("locked balance of "+a, k.amount(root, lockedKey(a)), amt)
	if err != nil {
		return err
	}
	s := k.Supply(root)
	escrow, err := types.Add("escrow total", s.EscrowFen, amt)
	if err != nil {
		return err
	}
	s.BalancesFen, s.EscrowFen = s.BalancesFen-amt, escrow
	k.setAmount(root, availableKey(a), bal-amt)
	k.setAmount(root, lockedKey(a), locked)
	k.setSupply(root, s)
	return nil
}

// release takes amt out of a's locked balance and the escrow total: the
// caller pays it out (to balances, or out of the market).
func (k Keeper) release(root store.KV, a string, amt uint64) error {
	locked := k.amount(root, lockedKey(a))
	s := k.Supply(root)
	if locked < amt || s.EscrowFen < amt {
		return types.ErrInsufficientFunds.Wrapf("%s has %d fen locked, needs %d", a, locked, amt)
	}
	s.EscrowFen -= amt
	k.setAmount(root, lockedKey(a), locked-amt)
	k.setSupply(root, s)
	return nil
}

// unlock returns amt of a's locked balance to its available balance.
func (k Keeper) unlock(root store.KV, a string, amt uint64) error {
	if err := k.release(root, a, amt); err != nil {
		return err
	}
	return k.credit(root, a, amt)
}

// Deposit: the exchange credits money it received in the bank, once per
// bank reference.
func (k Keeper) Deposit(ctx context.Context, root store.KV, m *types.MsgDeposit) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	ex, err := k.actorWith(ctx, root, types.ErrNotExchange, idtypes.Role_ROLE_EXCHANGE)
	if err != nil {
		return "", err
	}
	to, _ := types.ParseAddress("to", m.To)
	if _, err := k.identity.Party(root, to); err != nil {
		return "", err
	}
	if k.kv(root).Has(bankRefKey(m.BankRef)) {
		return "", types.ErrDuplicateBankRef.Wrapf("bank reference %s was booked already", m.BankRef)
	}
	s := k.Supply(root)
	deposits, err := types.Add("deposits total", s.DepositsFen, m.AmountFen)
	if err != nil {
		return "", err
	}
	if err := k.credit(root, to, m.AmountFen); err != nil {
		return "", err
	}
	s = k.Supply(root)
	s.DepositsFen = deposits
	k.setSupply(root, s)
	k.kv(root).Set(bankRefKey(m.BankRef), store.Marker)
	env.Emit(ctx, types.EventDeposited, env.Indexed(types.AttrParty, to), env.Indexed(types.AttrActor, ex.Address),
		env.Plain(types.AttrAmountFen, fen(m.AmountFen)), env.Indexed(types.AttrBankRef, m.BankRef))
	return to, nil
}

// RequestWithdrawal: an owner asks to be paid out; the amount is locked
// until the exchange pays it.
func (k Keeper) RequestWithdrawal(ctx context.Context, root store.KV, m *types.MsgRequestWithdrawal) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	owner, err := k.identity.Actor(ctx, root)
	if err != nil {
		return "", err
	}
	if err := k.lock(root, owner.Address, m.AmountFen); err != nil {
		return "", err
	}
	n := k.nextN(root, seqWithdrawal)
	w := &types.Withdrawal{Id: types.WithdrawalID(n), Owner: owner.Address, AmountFen: m.AmountFen,
		Status: types.WithdrawalStatus_WITHDRAWAL_STATUS_REQUESTED, Height: env.BlockOf(ctx).Height}
	k.kv(root).Set(WithdrawalKey(n), store.Encode(w))
	k.kv(root).Set(store.Concat(withdrawalOwnerPrefix, addr(w.Owner), u64(n)), store.Marker)
	env.Emit(ctx, types.EventWithdrawalRequested, env.Indexed(types.AttrWithdrawalID, w.Id), env.Indexed(types.AttrParty, w.Owner),
		env.Plain(types.AttrAmountFen, fen(w.AmountFen)))
	return w.Id, nil
}

// Withdraw: the exchange pays a requested withdrawal out of the market,
// once per bank reference.
func (k Keeper) Withdraw(ctx context.Context, root store.KV, m *types.MsgWithdraw) (string, error) {
	if err := m.ValidateBasic(); err != nil {
		return "", err
	}
	ex, err := k.actorWith(ctx, root, types.ErrNotExchange, idtypes.Role_ROLE_EXCHANGE)
	if err != nil {
		return "", err
	}
	w, err := k.Withdrawal(root, m.WithdrawalId)
	if err != nil {
		return "", err
	}
	if w.Status != types.WithdrawalStatus_WITHDRAWAL_STATUS_REQUESTED {
		return "", types.ErrWithdrawalNotRequested.Wrapf("%s is %s (bank reference %s)", w.Id, types.WithdrawalStatusName(w.Status), w.BankRef)
	}
	if k.kv(root).Has(bankRefKey(m.BankRef)) {
		return "", types.ErrDuplicateBankRef.Wrapf("bank reference %s was booked already", m.BankRef)
	}
	s := k.Supply(root)
	withdrawals, err := types.Add("withdrawals total", s.WithdrawalsFen, w.AmountFen)
	if err != nil {
		return "", err
	}
	if err := k.release(root, w.Owner, w.AmountFen); err != nil {
		return "", err
	}
	s = k.Supply(root)
	s.WithdrawalsFen = withdrawals
	k.setSupply(root, s)
	k.kv(root).Set(bankRefKey(m.BankRef), store.Marker)
	w.Status, w.BankRef, w.PaidBy = types.WithdrawalStatus_WITHDRAWAL_STATUS_PAID, m.BankRef, ex.Address
	k.kv(root).Set(WithdrawalKey(mustN(w.Id, types.WithdrawalIDPrefix)), store.Encode(w))
	env.Emit(ctx, types.EventWithdrawn, env.Indexed(types.AttrWithdrawalID, w.Id), env.Indexed(types.AttrParty, w.Owner),
		env.Indexed(types.AttrActor, ex.Address), env.Plain(types.AttrAmountFen, fen(w.AmountFen)), env.Indexed(types.AttrBankRef, m.BankRef))
	return w.Id, nil
}

func fen(v uint64) string { return strconv.FormatUint(v, 10) }
