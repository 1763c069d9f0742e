package analytics_test

import (
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"text", "Xã Hùng Lợi", "Xã Hùng Lợi"},
		{"formula", "=HYPERLINK(\"http://x\",\"bấm\")", "'=HYPERLINK(\"http://x\",\"bấm\")"},
		{"plus formula", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus formula", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"at", "@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"dash alone", "-", "'-"},
		{"minus infinity", "-Inf", "'-Inf"},
		{"exponent without digits", "-1e", "'-1e"},
		{"trailing dot", "-1.", "'-1."},
		{"negative integer", "-3", "-3"},
		{"positive sign", "+12", "+12"},
		{"negative decimal", "-3.75", "-3.75"},
		{"vietnamese format", "-1.234,5", "-1.234,5"},
		{"percent", "-3,7%", "-3,7%"},
		{"exponent", "-2.5e-3", "-2.5e-3"},
		{"equals inside", "a=b", "a=b"},
		{"quote already", "'=x", "'=x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := analytics.SafeCell(tc.in); got != tc.want {
				t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	row := analytics.SafeRow([]string{"=1", "2", "@x"})
	if row[0] != "'=1" || row[1] != "2" || row[2] != "'@x" {
		t.Errorf("SafeRow: %q", row)
	}
}
