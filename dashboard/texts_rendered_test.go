package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
)

// renderedText is one user-visible sentence as a response renders it, in
// Vietnamese and in English ("" where the response has one language only).
type renderedText struct {
	key    string
	vi, en string
}

// renderedTexts asks the app for the texts a reader sees: summaries, maps,
// ranking charts and lists, trends, findings, a commune's detail, series,
// exports and errors, for a sample of provinces (every centrally-run city
// in the reference data among them: the kind is read from the data, not
// from a list), a count, a rate and the composite index, and a complete, a
// partial and a compared period.
func renderedTexts(t *testing.T, f *fixture) []renderedText {
	t.Helper()
	var out []renderedText
	add := func(key, vi, en string) { out = append(out, renderedText{key, vi, en}) }
	getJSON := func(u string, v any) {
		t.Helper()
		r := f.get(t, u)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", u, r.status, r.body)
		}
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	provinces := []string{"08", "25"} // the fixture's province with data, a province without
	for _, p := range f.geo.Provinces {
		if analytics.ProvinceKindOf(p.Name) == analytics.KindCity {
			provinces = append(provinces, string(p.Code))
		}
	}
	metrics := []string{"sites", "resolution_rate", "effectiveness"}
	periods := []struct{ name, q string }{
		{"complete", "period=2024"},
		{"partial", "period=2025"},
		{"compare", "period=2025&compare=prev"},
	}
	for _, p := range provinces {
		for _, pr := range periods {
			at := p + " " + pr.name
			var sum struct {
				HeadlineVI string `json:"headline_vi"`
				HeadlineEN string `json:"headline_en"`
				FootnoteVI string `json:"footnote_vi"`
				FootnoteEN string `json:"footnote_en"`
				Message    string `json:"message_vi"`
				Figures    []struct {
					Metric  struct{ ID string } `json:"metric"`
					Text    string              `json:"text_vi"`
					Compare *struct {
						TextVI    string `json:"text_vi"`
						PctTextVI string `json:"pct_text_vi"`
						TextEN    string `json:"text_en"`
						PctTextEN string `json:"pct_text_en"`
					} `json:"compare"`
				} `json:"figures"`
			}
			getJSON("/api/v1/summary?province="+p+"&"+pr.q, &sum)
			add(at+" summary headline", sum.HeadlineVI, sum.HeadlineEN)
			add(at+" summary message", sum.Message, "")
			add(at+" summary footnote", sum.FootnoteVI, sum.FootnoteEN)
			for _, fg := range sum.Figures {
				if !slicesContains(metrics, fg.Metric.ID) {
					continue
				}
				add(at+" summary "+fg.Metric.ID, fg.Text, "")
				if c := fg.Compare; c != nil {
					add(at+" summary change "+fg.Metric.ID, c.TextVI, c.TextEN)
					add(at+" summary change short "+fg.Metric.ID, c.PctTextVI, c.PctTextEN)
				}
			}
			var mp struct {
				Antq struct {
					FootnoteVI string `json:"footnote_vi"`
					FootnoteEN string `json:"footnote_en"`
					Totals     struct {
						Text      string `json:"text_vi"`
						MessageVI string `json:"message_vi"`
						MessageEN string `json:"message_en"`
					} `json:"totals"`
				} `json:"antq"`
			}
			getJSON("/api/v1/map.geojson?province="+p+"&metric=sites&simplify=low&"+pr.q, &mp)
			add(at+" map sites footnote", mp.Antq.FootnoteVI, mp.Antq.FootnoteEN)
			add(at+" map sites total", mp.Antq.Totals.Text, "")
			add(at+" map sites message", mp.Antq.Totals.MessageVI, mp.Antq.Totals.MessageEN)
			for _, m := range metrics {
				q := "province=" + p + "&metric=" + m + "&" + pr.q
				var rk struct {
					MessageVI string `json:"message_vi"`
					MessageEN string `json:"message_en"`
					Communes  []struct {
						Text string `json:"text_vi"`
					} `json:"communes"`
				}
				getJSON("/api/v1/ranking?limit=1&"+q, &rk)
				first := ""
				if len(rk.Communes) > 0 {
					first = rk.Communes[0].Text
				}
				add(at+" ranking "+m+" message", rk.MessageVI, rk.MessageEN)
				add(at+" ranking "+m+" first", first, "")
				for _, side := range []string{"top", "bottom"} {
					vi, en := chartSlide(t, f, "ranking", q+"&limit=3&side="+side)
					add(at+" chart ranking "+side+" "+m+" title", vi.Title, en.Title)
					add(at+" chart ranking "+side+" "+m+" subtitle", vi.Subtitle, en.Subtitle)
					add(at+" chart ranking "+side+" "+m+" footnote", vi.Footnote, en.Footnote)
				}
				if pr.name == "compare" {
					vi, en := chartSlide(t, f, "delta", q)
					add(at+" chart delta "+m+" title", vi.Title, en.Title)
					add(at+" chart delta "+m+" subtitle", vi.Subtitle, en.Subtitle)
					add(at+" chart delta "+m+" footnote", vi.Footnote, en.Footnote)
				}
			}
		}
		if p == "08" {
			chartSlide(t, f, "map", "province=08&metric=sites&period=2025")
		}
		vi, en := chartSlide(t, f, "trend", "province="+p+"&metric=resolution_rate")
		add(p+" chart trend resolution_rate title", vi.Title, en.Title)
		add(p+" chart trend resolution_rate subtitle", vi.Subtitle, en.Subtitle)
		add(p+" chart trend resolution_rate footnote", vi.Footnote, en.Footnote)
		vi, en = chartSlide(t, f, "breakdown", "province="+p+"&period=2025&by=outcome")
		add(p+" chart breakdown outcome title", vi.Title, en.Title)
		add(p+" chart breakdown outcome subtitle", vi.Subtitle, en.Subtitle)
	}

	// Breakdown groups: grades, outcomes and sectors are named in English too.
	for _, by := range []string{"grade", "outcome", "sector"} {
		var labels [2]string
		for i, lang := range []string{"", "&lang=en"} {
			r := f.get(t, "/charts/breakdown.csv?province=08&period=2025&by="+by+lang)
			if r.status != 200 {
				t.Fatalf("breakdown %s: %d", by, r.status)
			}
			body := strings.TrimPrefix(string(r.body), "\ufeff")
			cr := csv.NewReader(strings.NewReader(body))
			cr.FieldsPerRecord = -1
			if head, _, _ := strings.Cut(body, "\n"); strings.Contains(head, ";") {
				cr.Comma = ';'
			}
			recs, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("breakdown %s: %v", by, err)
			}
			var names []string
			for _, rec := range recs[1:] {
				if len(rec) == 3 { // group, count, share; the slide's lines follow
					names = append(names, rec[0])
				}
			}
			labels[i] = strings.Join(names, " | ")
		}
		add("08 chart breakdown "+by+" groups", labels[0], labels[1])
	}

	// Findings, in the language asked and both.
	for _, lang := range []string{"vi", "en"} {
		var fb struct {
			FootnoteVI string `json:"footnote_vi"`
			FootnoteEN string `json:"footnote_en"`
			Findings   []struct {
				Kind     string `json:"kind"`
				Text     string `json:"text"`
				TextVI   string `json:"text_vi"`
				TextEN   string `json:"text_en"`
				Method   string `json:"method"`
				MethodVI string `json:"method_vi"`
				MethodEN string `json:"method_en"`
			} `json:"findings"`
		}
		getJSON("/api/v1/findings?province=08&period=2025&compare=prev&lang="+lang, &fb)
		if lang == "vi" {
			add("08 findings footnote", fb.FootnoteVI, fb.FootnoteEN)
		}
		kinds := map[string]bool{}
		for _, fd := range fb.Findings {
			want := map[string]string{"vi": fd.TextVI, "en": fd.TextEN}[lang]
			wantM := map[string]string{"vi": fd.MethodVI, "en": fd.MethodEN}[lang]
			if fd.Text != want || fd.Method != wantM {
				t.Errorf("findings lang=%s: text %q, method %q; want %q, %q", lang, fd.Text, fd.Method, want, wantM)
			}
			if lang == "vi" && !kinds[fd.Kind] { // one finding of each kind
				kinds[fd.Kind] = true
				add("08 findings "+fd.Kind, fd.TextVI, fd.TextEN)
				add("08 findings "+fd.Kind+" method", fd.MethodVI, fd.MethodEN)
			}
		}
	}

	// A commune's detail and a series (Vietnamese texts).
	var det struct {
		Metrics []struct {
			Metric   struct{ ID string } `json:"metric"`
			Text     string              `json:"text_vi"`
			RankText string              `json:"rank_text"`
		} `json:"metrics"`
	}
	getJSON("/api/v1/communes/02455?period=2025", &det)
	for _, m := range det.Metrics {
		if slicesContains(metrics, m.Metric.ID) {
			add("02455 detail "+m.Metric.ID, m.Text+" · "+m.RankText, "")
		}
	}
	var ser struct {
		Points []struct {
			Text string `json:"text_vi"`
		} `json:"points"`
	}
	getJSON("/api/v1/series?province=08&metric=resolution_rate", &ser)
	var texts []string
	for _, p := range ser.Points {
		texts = append(texts, p.Text)
	}
	add("08 series resolution_rate", strings.Join(texts, " | "), "")

	// Exports (Vietnamese documents): the CSV header, the XLSX information sheet.
	for _, p := range []string{"08", "01"} {
		q := "province=" + p + "&metric=resolution_rate&period=2025&compare=prev"
		r := f.get(t, "/api/v1/export.csv?"+q)
		if r.status != 200 {
			t.Fatalf("export.csv %s: %d", p, r.status)
		}
		head, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n")
		add(p+" export csv header", strings.TrimSpace(head), "")
		x, err := excelize.OpenReader(bytes.NewReader(f.get(t, "/api/v1/export.xlsx?"+q).body))
		if err != nil {
			t.Fatal(err)
		}
		info, err := x.GetRows("Thông tin")
		x.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range info {
			if len(row) == 2 && row[0] != "Cách tính" { // the formula is notation, not a sentence
				add(p+" export xlsx "+row[0], row[1], "")
			}
		}
	}

	// Errors: message_vi and message_en, and message by lang=.
	for _, u := range []string{"/api/v1/summary?province=99", "/api/v1/map.geojson?province=08&metric=nope",
		"/api/v1/summary?province=08&period=2025x", "/charts/nope.json?province=08", "/api/v1/communes/99999",
		"/charts/map.gif?province=08", "/api/v1/findings?province=08&lang=fr"} {
		var vi, en, both struct {
			Error struct {
				Message   string `json:"message"`
				MessageVI string `json:"message_vi"`
				MessageEN string `json:"message_en"`
			} `json:"error"`
		}
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		for _, x := range []struct {
			q string
			v any
		}{{"", &both}, {sep + "lang=vi", &vi}, {sep + "lang=en", &en}} {
			r := f.get(t, u+x.q)
			if r.status < 400 {
				t.Fatalf("%s: status %d", u+x.q, r.status)
			}
			if err := json.Unmarshal(r.body, x.v); err != nil {
				t.Fatalf("%s: %v", u+x.q, err)
			}
		}
		if strings.Contains(u, "lang=fr") { // lang=fr is itself the error: one answer in both
			add("error "+u, both.Error.MessageVI, both.Error.MessageEN)
			continue
		}
		if vi.Error.Message != vi.Error.MessageVI || en.Error.Message != en.Error.MessageEN ||
			both.Error.Message != both.Error.MessageVI+" / "+both.Error.MessageEN {
			t.Errorf("%s: message by lang %q, %q, %q; want %q, %q and both", u, vi.Error.Message, en.Error.Message, both.Error.Message,
				vi.Error.MessageVI, en.Error.MessageEN)
		}
		add("error "+u, both.Error.MessageVI, both.Error.MessageEN)
	}
	return out
}

type slideText struct{ Title, Subtitle, Footnote string }

// chartSlide is a chart's slide text in Vietnamese and in English.
func chartSlide(t *testing.T, f *fixture, name, q string) (vi, en slideText) {
	t.Helper()
	for _, x := range []struct {
		lang string
		v    *slideText
	}{{"", &vi}, {"&lang=en", &en}} {
		u := "/charts/" + name + ".json?" + q + x.lang
		r := f.get(t, u)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", u, r.status, r.body)
		}
		if x.lang != "" { // the option's own words (legend, partial series) follow the language too
			for _, vi := range []string{"kỳ chưa kết thúc", "Chia lớp", "Đơn vị", "Không có số liệu", "Dữ liệu mô phỏng"} {
				if bytes.Contains(r.body, []byte(vi)) {
					t.Errorf("%s: the English chart says %q", u, vi)
				}
			}
		}
		var c struct {
			Antq struct{ Slide slideText } `json:"antq"`
		}
		if err := json.Unmarshal(r.body, &c); err != nil {
			t.Fatal(err)
		}
		*x.v = c.Antq.Slide
	}
	return vi, en
}

func slicesContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestRenderedTexts renders the sample (renderedTexts) to
// testdata/texts_rendered.golden.txt, checks the rules a reader would
// (attribution by kind, ranks k/n, no "0,0%" change, the partial window
// said in both languages, capitals), and that no English word is in a
// Vietnamese text and no Vietnamese word in an English one.
func TestRenderedTexts(t *testing.T) {
	f := newFixture(t, true)
	texts := renderedTexts(t, f)
	var b strings.Builder
	for _, x := range texts {
		b.WriteString(x.key + " vi\t" + x.vi + "\n")
		if x.en != "" {
			b.WriteString(x.key + " en\t" + x.en + "\n")
		}
	}
	golden(t, "texts_rendered.golden.txt", []byte(b.String()))

	t.Run("rules", func(t *testing.T) {
		for _, p := range f.geo.Provinces {
			city := analytics.ProvinceKindOf(p.Name) == analytics.KindCity
			for _, x := range texts {
				if !strings.HasPrefix(x.key, string(p.Code)+" ") {
					continue
				}
				if city && (strings.Contains(x.vi, "Công an tỉnh") || strings.Contains(x.vi, "tỉnh này") || strings.Contains(x.vi, "toàn tỉnh") ||
					strings.Contains(x.en, "Provincial Police") || strings.Contains(x.en, "this province")) {
					t.Errorf("%s: a city named as a province: %q / %q", x.key, x.vi, x.en)
				}
				if !city && (strings.Contains(x.vi, "Công an thành phố") || strings.Contains(x.en, "City Police")) {
					t.Errorf("%s: a province named as a city: %q / %q", x.key, x.vi, x.en)
				}
			}
		}
		rankOnly := regexp.MustCompile(`(Hạng|Rank) \d+($|[^/\d])`)
		zero := regexp.MustCompile(`[+-]0[,.]0+%`)
		for _, x := range texts {
			for _, s := range []string{x.vi, x.en} {
				if rankOnly.MatchString(s) {
					t.Errorf("%s: a rank without its denominator: %q", x.key, s)
				}
				if zero.MatchString(s) {
					t.Errorf("%s: a non-zero change printed as zero: %q", x.key, s)
				}
				// Change sentences go after a label, error messages and
				// methods are lower-case notation by design.
				if r := []rune(strings.TrimSpace(s)); len(r) > 0 && unicode.IsLower(r[0]) && !strings.Contains(x.key, " change") &&
					!strings.HasPrefix(x.key, "error ") && !strings.HasSuffix(x.key, " method") && !strings.HasSuffix(x.key, "Lý do không có số liệu") {
					t.Errorf("%s: a sentence starts in lower case: %q", x.key, s)
				}
			}
			if strings.Contains(x.key, " partial ") && strings.Contains(x.key, "footnote") {
				if !strings.Contains(x.vi, "(kỳ chưa kết thúc)") || (x.en != "" && !strings.Contains(x.en, "(period not over)")) {
					t.Errorf("%s: a partial window not said: %q / %q", x.key, x.vi, x.en)
				}
			}
		}
	})

	t.Run("one_language", func(t *testing.T) {
		cut := namesCutter(f)
		// The English vocabulary is what the English texts say, names cut.
		enWords := map[string]bool{}
		for _, x := range texts {
			for _, w := range textWords(cut(x.en)) {
				enWords[w] = true
			}
		}
		for _, x := range texts {
			for _, w := range textWords(cut(x.vi)) {
				if (enWords[w] || englishWords[w]) && !sharedWords[w] {
					t.Errorf("%s: English word %q in the Vietnamese text %q", x.key, w, x.vi)
				}
			}
			for _, w := range textWords(cut(x.en)) {
				if strings.IndexFunc(w, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
					t.Errorf("%s: Vietnamese word %q in the English text %q", x.key, w, x.en)
				}
			}
		}
	})
}

// sharedWords are letter runs both languages write: codes, units and
// Vietnamese words spelled without marks that English also uses.
var sharedWords = map[string]bool{
	"z": true, "mad": true, "km": true, "antq": true, "csv": true, "rejects": true, "an": true, // "an ninh"
	"sites": true, "resolution": true, "rate": true, "effectiveness": true, // metric codes ("mã sites")
	"no": true, "reports": true, "period": true, "not": true, "started": true, "partial": true, "applicable": true, // reason codes
	"insufficient": true, "components": true,
}

// namesCutter removes names as written from a text before its words are
// checked: quoted names (models), communes, provinces, model types and
// the fixture's category and outcome labels.
func namesCutter(f *fixture) func(string) string {
	var names []string
	for _, p := range f.geo.Provinces {
		names = append(names, strings.TrimPrefix(p.ShortName, "Thành phố "))
	}
	for _, c := range f.geo.Communes {
		names = append(names, c.Name)
	}
	for _, m := range modelTypes {
		names = append(names, m.name)
	}
	names = append(names, categories...)
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	// Codes: quoted values, parameters and the allowed values error
	// messages list (metric ids, period forms, lang codes, chart names and
	// formats: lists of three or more bare lower-case tokens).
	quoted := regexp.MustCompile(`“[^”]*”|"[^"]*"|\b[a-z]+=|\b[a-z0-9]+(_[a-z0-9]+)+\b|\b(cal)?\d{4}([HQ]\d)?\b|YYYY-MM-DD|post-merger|\bytd\b|, all\b|\b[a-z0-9_]+(, [a-z0-9_]+){2,}\b`)
	var ids []string
	for _, m := range analytics.Metrics {
		ids = append(ids, string(m.ID))
	}
	idList := regexp.MustCompile(`: (` + strings.Join(ids, "|") + `|vi|en|all)(, (` + strings.Join(ids, "|") + `|vi|en|all))*`)
	return func(s string) string {
		s = idList.ReplaceAllString(s, " ")
		s = quoted.ReplaceAllString(s, " ")
		for _, n := range names {
			if n != "" && strings.Contains(s, n) {
				s = strings.ReplaceAll(s, n, " ")
			}
		}
		return s
	}
}
