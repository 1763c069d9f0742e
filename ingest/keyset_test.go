package ingest

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// TestKeySet checks the set against a map, through growth, with keys met
// once, twice and a hash of 0.
func TestKeySet(t *testing.T) {
	s := newKeySet(0)
	want := map[uint64]keySlot{}
	r := rand.New(rand.NewPCG(1, 2))
	keys := []uint64{0, 1, 2}
	for range 20_000 {
		keys = append(keys, r.Uint64())
	}
	for row, k := range append(keys, keys[:5000]...) {
		kh := k
		if kh == 0 {
			kh = 1
		}
		first, added := s.add(k, k^0xff, row)
		w, seen := want[kh]
		if added == seen || (seen && first != w) {
			t.Fatalf("row %d key %x: got %+v added %v, want %+v seen %v", row, k, first, added, w, seen)
		}
		if !seen {
			want[kh] = keySlot{key: kh, hash: k ^ 0xff, row: row}
		}
	}
	if s.n != len(want) {
		t.Errorf("n = %d, want %d", s.n, len(want))
	}
	if len(s.slots) < len(want)*4/3 {
		t.Errorf("%d slots for %d keys: not grown", len(s.slots), len(want))
	}
	for kh, w := range want {
		if got, ok := s.get(kh); !ok || got != w {
			t.Errorf("get %x = %+v %v, want %+v", kh, got, ok, w)
		}
	}
	if _, ok := s.get(0xdeadbeef); ok {
		t.Error("a key never added is found")
	}
}

// BenchmarkKeySet: the in-file key check of n new keys (each looked up,
// then added), in the key set and in the Go map it replaced, both sized
// as a 1.85 GB file's hint (newFileRun: 4 M).
func BenchmarkKeySet(b *testing.B) {
	const hint = 4 << 20
	for _, n := range []int{2_000_000, 12_500_000} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = xxhash.Sum64String(fmt.Sprintf("incidents:%02d:VV-%02d-2024-%06d", i%34, i%34, i))
		}
		b.Run(fmt.Sprintf("set/%d", n), func(b *testing.B) {
			for b.Loop() {
				s := newKeySet(hint)
				for i, k := range keys {
					if _, added := s.add(k, k, i); !added {
						b.Fatal("duplicate")
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
		})
		b.Run(fmt.Sprintf("map/%d", n), func(b *testing.B) {
			for b.Loop() {
				m := make(map[uint64]mapSeen, hint)
				for i, k := range keys {
					if _, dup := m[k]; dup {
						b.Fatal("duplicate")
					}
					m[k] = mapSeen{hash: k, row: i}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
		})
	}
}

// mapSeen is what the map kept of a key.
type mapSeen struct {
	hash uint64
	row  int
}
