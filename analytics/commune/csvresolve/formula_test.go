package csvresolve

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

// TestResolveCSVNeutralisesFormulas: `antq resolve` echoes the input's
// columns and the unresolved name in its error; text that reads as a
// formula comes out as text, coordinates stay numbers.
func TestResolveCSVNeutralisesFormulas(t *testing.T) {
	r := mustResolver(t)
	in := "commune,province,lon,lat,@note\n" +
		"\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",Tuyên Quang,-105.2,21.8,+1+cmd\n"
	var out bytes.Buffer
	if _, err := Resolve(context.Background(), strings.NewReader(in), &out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sawNumber := false
	for i, rec := range recs {
		for j, c := range rec {
			if c == "-105.2" {
				sawNumber = true
				continue
			}
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("row %d column %d: %q would run as a formula", i, j, c)
			}
		}
	}
	if !sawNumber {
		t.Errorf("the coordinate -105.2 was not kept as a number:\n%s", out.String())
	}
}
