// Package revenue is the x/revenue module: how the proceeds of every sale
// are split (收益分配) — the public levy that returns to public services
// (反哺公共服务, 再分配调节), an authorisation's revenue terms, and the sold
// asset's policy, which can pass an upstream share down the lineage to the
// data the product was made from.
//
// # Policies
//
// The holder of an asset's root right (the holding right of a dataset,
// the operation right of a product) sets its policy with `tx revenue
// set-policy`: up to 16 shares, each to a distinct active party in basis
// points, and, for an asset with inputs only, upstream_bps that flows to
// the inputs by their declared contribution weights. Shares plus upstream
// are at most 10,000 bps; what they leave goes to the holder. An asset
// without a policy pays everything to its holder.
//
// # A split
//
// The market calls Keeper.Split once per settlement of amount A (in fen)
// for asset X:
//
//  1. Public levy. If X is public data, or any input reached within
//     max_lineage_depth levels is, floor(A × public_levy_bps / 10,000)
//     goes to the public service fund (PUBLIC_LEVY). R1 = A − levy.
//  2. Authorisation. If the sold right was granted under an
//     authorisation, that authorisation covers all of R1 (weight 10,000
//     bps). Otherwise each authorisation that one of X's inputs was derived
//     under (x/registry records it on the input) covers the sum W of those
//     inputs' weights. Each covering authorisation pays
//     floor(R1 × W × operator_share_bps / 10⁸) to its operator (OPERATOR)
//     and floor(R1 × W × public_service_share_bps / 10⁸) to the fund
//     (PUBLIC_SERVICE), both lines naming it, in the order of X's inputs.
//     R2 = R1 − all of them.
//  3. Policy. R2 is split by X's policy at depth 0: each share
//     (POLICY_SHARE), the upstream part, the holder's part (HOLDER). The
//     upstream part is split among X's inputs by weight, and each input's
//     part is split by that input's policy one level deeper. At depth
//     max_lineage_depth, or for an asset without inputs, there is no
//     upstream: that part stays with the holder.
//
// The fund is types.FundAddress, an address no key signs for: the first
// 20 bytes of keccak256("datarights/public-service-fund").
//
// # The remainder rule
//
// Amounts are integers (fen); every part is a floor, computed on 128 bits
// so that A × bps never overflows. The complements R1 and R2 are
// subtractions, so steps 1 and 2 lose nothing. At each policy level with
// amount P, the shares, the upstream part U and the holder's part are each
// floor(P × bps / 10,000), and each input's part is floor(U × weight /
// Σweights): what these floors lose together,
//
//	P − Σshares − Σinputs' parts − holder's part,
//
// goes to that level's holder as one REMAINDER line (always less than the
// number of parts at that level, in fen). So the lines sum to A exactly,
// and the holder, who bears the residual risk, gets the odd fen. Lines of
// 0 fen are omitted.
//
// # Bounds
//
// A distribution has at most max_lines lines. Each level keeps two lines
// of its budget for its HOLDER and REMAINDER lines; when the budget runs
// out, whatever the level has not yet paid out goes to its holder as one
// HOLDER line (no REMAINDER line then), and a level whose budget is under
// three lines pays everything to its holder. Lineage reads are bounded by
// max_lineage_depth and each asset is read once per split.
//
// # Records
//
// Split stores the Distribution (trade, asset, amount, lines, height,
// time), indexes it by trade (one distribution per trade), by beneficiary
// and by asset (the sold asset and every asset whose policy paid a line),
// adds each line to its beneficiary's earnings (the fund's earnings are
// the fund's total), and emits revenue_distributed and one revenue_line
// per line.
//
// Layout: types/ holds the generated protobuf types, errors, events,
// params and stateless checks; keeper/ holds state access (keys.go
// documents the byte layout), the handler, Split, queries and genesis;
// cli/ holds the commands.
package revenue
