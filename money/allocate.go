package money

import (
	"errors"
	"math/big"
	"sort"
)

// Allocate splits total over lines in proportion to weights (for example a
// discount over the lines of an order, weighted by their prices), exactly:
//
//  1. each line first gets floor(total × weight / Σweights) minor units (toward
//     zero for a negative total);
//  2. the minor units left over go one each to the lines with the largest
//     remainders of that division, ties going to the earlier line.
//
// The parts always sum to total, no part is further than one minor unit from
// its exact share, and a line of weight zero gets nothing.
//
// Errors: weights must be non-negative with a positive sum.
func Allocate(total Amount, weights []int64) ([]Amount, error) {
	var sum big.Int
	for _, w := range weights {
		if w < 0 {
			return nil, errors.New("money: negative weight")
		}
		sum.Add(&sum, big.NewInt(w))
	}
	if sum.Sign() == 0 {
		return nil, errors.New("money: weights sum to zero")
	}
	neg := total.Minor < 0
	abs := new(big.Int).Abs(big.NewInt(total.Minor))
	parts := make([]Amount, len(weights))
	rems := make([]*big.Int, len(weights))
	given := new(big.Int)
	for i, w := range weights {
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(abs, big.NewInt(w)), &sum, new(big.Int))
		parts[i] = Amount{Minor: q.Int64(), Currency: total.Currency}
		rems[i] = r
		given.Add(given, q)
	}
	left := new(big.Int).Sub(abs, given).Int64() // fewer than len(weights)
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].Cmp(rems[order[b]]) > 0 })
	for _, i := range order[:left] {
		parts[i].Minor++
	}
	if neg {
		for i := range parts {
			parts[i].Minor = -parts[i].Minor
		}
	}
	return parts, nil
}
