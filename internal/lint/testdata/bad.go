package bad

import (
	"math/rand"
	"time"
)

type s struct{ m map[string]int }

func f(x s, p map[int]bool) float64 {
	_ = time.Now()
	_ = rand.Int()
	for range x.m {
	}
	for range p {
	}
	local := map[string]int{}
	for k := range local {
		_ = k
	}
	for range local { // lint:allow the test's own opt-out, with a reason
	}
	return 0
}
