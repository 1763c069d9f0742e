package chstore

import (
	"testing"
	"time"
)

func TestOptionalColumnsLeftOutOnlyWhenAllDefault(t *testing.T) {
	now := time.Now()
	x := 1.5
	for _, tc := range []struct {
		v    any
		want bool
	}{
		{[]string{"", ""}, true},
		{[]string{"", "a"}, false},
		{[]uint8{0, 0}, true},
		{[]uint8{0, 1}, false},
		{[]uint32{0}, true},
		{[]uint32{7}, false},
		{[]*time.Time{nil, nil}, true},
		{[]*time.Time{nil, &now}, false},
		{[]*float64{nil}, true},
		{[]*float64{&x}, false},
		{[]float32{0}, false}, // a type it does not know is always sent
	} {
		if got := allDefault(tc.v); got != tc.want {
			t.Errorf("allDefault(%v) = %v, want %v", tc.v, got, tc.want)
		}
		c := &columns{}
		c.opt("x", tc.v)
		if sent := len(c.names) == 1; sent == tc.want {
			t.Errorf("opt(%v): sent = %v", tc.v, sent)
		}
	}
}
