package dashboard_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// englishWords are words of the English texts that are no Vietnamese word;
// none may appear in a Vietnamese text.
var englishWords = map[string]bool{"up": true, "down": true, "unchanged": true, "on": true, "the": true, "same": true,
	"period": true, "last": true, "year": true, "percentage": true, "point": true, "points": true, "source": true,
	"site": true, "sites": true, "model": true, "models": true, "with": true, "police": true, "provincial": true,
	"city": true, "data": true, "from": true, "unit": true, "rank": true, "top": true, "bottom": true, "communes": true,
	"synthetic": true, "demo": true, "no": true, "and": true, "of": true}

// TestResponsesOneLanguage: a Vietnamese response's user-facing texts hold
// no English word, and the English texts (lang=en, the _en fields) no
// Vietnamese word; names of places (cut out as written) and codes are allowed.
func TestResponsesOneLanguage(t *testing.T) {
	f := newFixture(t, true)
	// Names as written (longest first) are cut out of an English text
	// before its words are checked.
	var names []string
	for _, p := range f.geo.Provinces {
		names = append(names, strings.TrimPrefix(p.ShortName, "Thành phố "))
	}
	for _, c := range f.geo.Communes {
		names = append(names, c.Name)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	withoutNames := func(s string) string {
		for _, n := range names {
			if n != "" && strings.Contains(s, n) {
				s = strings.ReplaceAll(s, n, " ")
			}
		}
		return s
	}
	check := func(t *testing.T, what, vi, en string) {
		t.Helper()
		for _, w := range textWords(vi) {
			if englishWords[w] {
				t.Errorf("%s: English word %q in the Vietnamese text %q", what, w, vi)
			}
		}
		for _, w := range textWords(withoutNames(en)) {
			if strings.IndexFunc(w, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
				t.Errorf("%s: Vietnamese word %q in the English text %q", what, w, en)
			}
		}
	}
	for _, u := range []string{"/api/v1/summary?province=08&period=2025&compare=prev", "/api/v1/summary?province=08&period=2025&compare=2022",
		"/api/v1/summary?province=01&period=2024&compare=prev"} {
		r := f.get(t, u)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", u, r.status, r.body)
		}
		var sum struct {
			HeadlineVI string `json:"headline_vi"`
			HeadlineEN string `json:"headline_en"`
			FootnoteVI string `json:"footnote_vi"`
			FootnoteEN string `json:"footnote_en"`
			Figures    []struct {
				Compare *struct {
					TextVI    string `json:"text_vi"`
					PctTextVI string `json:"pct_text_vi"`
					TextEN    string `json:"text_en"`
					PctTextEN string `json:"pct_text_en"`
				} `json:"compare"`
			} `json:"figures"`
		}
		if err := json.Unmarshal(r.body, &sum); err != nil {
			t.Fatal(err)
		}
		check(t, u+" headline", sum.HeadlineVI, sum.HeadlineEN)
		check(t, u+" footnote", sum.FootnoteVI, sum.FootnoteEN)
		if sum.FootnoteEN == "" || !strings.HasPrefix(sum.FootnoteEN, "Source: ") {
			t.Errorf("%s: English footnote %q", u, sum.FootnoteEN)
		}
		changes := 0
		for _, fg := range sum.Figures {
			if c := fg.Compare; c != nil {
				if (c.TextVI == "") != (c.TextEN == "") {
					t.Errorf("%s: change %q in Vietnamese, %q in English", u, c.TextVI, c.TextEN)
				}
				if c.TextVI != "" {
					changes++
				}
				check(t, u+" change", c.TextVI+" "+c.PctTextVI, c.TextEN+" "+c.PctTextEN)
			}
		}
		if strings.Contains(u, "province=08") && changes == 0 {
			t.Errorf("%s: no change sentence to check", u)
		}
	}
	for _, name := range []string{"map", "trend", "breakdown", "ranking"} {
		var vi, en struct {
			Antq struct {
				Slide struct{ Title, Subtitle, Footnote string }
			} `json:"antq"`
		}
		for _, x := range []struct {
			lang string
			v    any
		}{{"", &vi}, {"&lang=en", &en}} {
			u := "/charts/" + name + ".json?province=08&period=2025&metric=sites" + x.lang
			r := f.get(t, u)
			if r.status != 200 {
				t.Fatalf("%s: status %d: %s", u, r.status, r.body)
			}
			if err := json.Unmarshal(r.body, x.v); err != nil {
				t.Fatal(err)
			}
		}
		s, e := vi.Antq.Slide, en.Antq.Slide
		check(t, name+" chart", s.Title+" "+s.Subtitle+" "+s.Footnote, e.Title+" "+e.Subtitle+" "+e.Footnote)
		if !strings.Contains(s.Footnote, "Nguồn: Công an tỉnh Tuyên Quang") || !strings.Contains(e.Footnote, "Source: Tuyên Quang Provincial Police") {
			t.Errorf("%s chart footnotes %q / %q", name, s.Footnote, e.Footnote)
		}
	}
}

// textWords are the lower-case letter runs of s.
func textWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}
