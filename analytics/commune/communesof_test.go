package commune

import (
	"context"
	"slices"
	"testing"
)

// TestCommunesOfIndex: CommunesOf from Load's index gives what going over
// every commune gives, for every province and one that does not exist,
// and a fresh slice each time.
func TestCommunesOfIndex(t *testing.T) {
	s, err := Load(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	idx := s.provCommunes
	if idx == nil {
		t.Fatal("Load made no index")
	}
	n := 0
	for _, p := range append(slices.Clone(s.Provinces), Province{Code: "99"}) {
		got := s.CommunesOf(p.Code)
		s.provCommunes = nil // as a Set made by hand
		want := s.CommunesOf(p.Code)
		s.provCommunes = idx
		if !slices.Equal(got, want) {
			t.Fatalf("province %s: %d communes from the index, %d by going over them", p.Code, len(got), len(want))
		}
		for _, c := range got {
			if c.Province != p.Code {
				t.Fatalf("province %s: commune %s of %s", p.Code, c.Code, c.Province)
			}
		}
		if len(got) > 0 {
			got[0] = nil // the caller's to change
			if s.CommunesOf(p.Code)[0] == nil {
				t.Fatalf("province %s: CommunesOf shares its slice", p.Code)
			}
		}
		n += len(want)
	}
	if n != len(s.Communes) {
		t.Errorf("%d communes over the provinces, %d in all", n, len(s.Communes))
	}
}
