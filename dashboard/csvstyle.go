package dashboard

import (
	"net/url"

	"github.com/antq-atlas/antq/dashboard/figures"
)

// parseCSVStyle reads the CSV style (figures.CSVStyle) of a request: lang
// (vi, default, or en), sep (";", "," or "tab") and decimal ("," or ".").
func parseCSVStyle(q url.Values) (figures.CSVStyle, error) {
	lang, err := parseEnum(q, "lang", []string{"vi", "en"}, "vi")
	if err != nil {
		return figures.CSVStyle{}, err
	}
	s := figures.CSVVI
	if lang == "en" {
		s = figures.CSVEN
	}
	if q.Has("sep") {
		v, err := parseEnum(q, "sep", []string{";", ",", "tab"}, ";")
		if err != nil {
			return figures.CSVStyle{}, err
		}
		s.Sep = map[string]rune{";": ';', ",": ',', "tab": '\t'}[v]
	}
	if q.Has("decimal") {
		v, err := parseEnum(q, "decimal", []string{",", "."}, ",")
		if err != nil {
			return figures.CSVStyle{}, err
		}
		s.Decimal = v[0]
	}
	return s, nil
}
