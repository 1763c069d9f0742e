package chart

import (
	"math"
	"testing"

	"github.com/dop251/goja"

	"github.com/antq-atlas/antq/dashboard/web"
)

var numberCases = []struct {
	name     string
	v        float64
	decimals int
	want     string
}{
	{"zero", 0, 0, "0"},
	{"thousands", 2025, 0, "2.025"},
	{"millions", 1865000, 0, "1.865.000"},
	{"one decimal", 75.64, 1, "75,6"},
	{"round half up", 2.5, 0, "3"},
	{"exact half decimals", 0.125, 2, "0,13"},
	{"binary below half", 0.15, 1, "0,1"},
	{"padding", 3, 2, "3,00"},
	{"small", 0.004, 2, "0,00"},
	{"negative", -1234.5, 1, "-1.234,5"},
	{"negative rounds to zero", -0.04, 1, "0,0"},
	{"negative decimals treated as 0", 12.7, -1, "13"},
	{"hundreds", 999, 0, "999"},
	{"NaN", math.NaN(), 1, ""},
	{"Inf", math.Inf(1), 0, ""},
}

func TestFormatNumber(t *testing.T) {
	for _, c := range numberCases {
		t.Run(c.name, func(t *testing.T) {
			if got := FormatNumber(c.v, c.decimals); got != c.want {
				t.Errorf("FormatNumber(%v, %d) = %q, want %q", c.v, c.decimals, got, c.want)
			}
		})
	}
	if got := FormatPercent(75.64, 1); got != "75,6%" {
		t.Errorf("FormatPercent = %q", got)
	}
}

// TestFormatNumberMatchesJS holds Go and antq.js to the same text, as labels
// are computed on both sides.
func TestFormatNumberMatchesJS(t *testing.T) {
	mustAssets(t)
	src, err := web.Asset(web.AntqJS)
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	if _, err := vm.RunScript("antq.js", string(src)); err != nil {
		t.Fatal(err)
	}
	num, ok := goja.AssertFunction(vm.Get("antq").ToObject(vm).Get("number"))
	if !ok {
		t.Fatal("antq.number is not a function")
	}
	for _, c := range numberCases {
		if c.decimals < 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			v, err := num(goja.Undefined(), vm.ToValue(c.v), vm.ToValue(c.decimals))
			if err != nil {
				t.Fatal(err)
			}
			if v.String() != c.want {
				t.Errorf("antq.number(%v, %d) = %q, Go gives %q", c.v, c.decimals, v.String(), c.want)
			}
		})
	}
}
