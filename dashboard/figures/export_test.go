package figures

import (
	"bytes"
	"testing"
)

func TestCSVStyleNumber(t *testing.T) {
	tests := []struct {
		name string
		st   CSVStyle
		in   string
		want string
	}{
		{"vi decimal", CSVVI, "-1234.5", "-1234,5"},
		{"vi integer", CSVVI, "2025", "2025"},
		{"en keeps the dot", CSVEN, "1234.5", "1234.5"},
		{"text is left alone", CSVVI, "1.2.3", "1.2.3"},
		{"a name with a dot", CSVVI, "Xã A.1", "Xã A.1"},
		{"empty", CSVVI, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.st.Number(tt.in); got != tt.want {
				t.Errorf("Number(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSVStyleCode(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"commune code", "00691", `="00691"`},
		{"province code", "08", `="08"`},
		{"empty stays empty", "", ""},
		{"not digits", "=1+1", "=1+1"},
		{"a name", "Xã A", "Xã A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CSVVI.Code(tt.in); got != tt.want {
				t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSVStyleWriter(t *testing.T) {
	var buf bytes.Buffer
	w := CSVStyle{Sep: '\t', Decimal: ','}.Writer(&buf)
	if err := w.Write([]string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if got, want := buf.String(), "\ufeffa\tb\r\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}
