// Package csvresolve is `antq resolve`: it reads a CSV of places (a
// commune, district and province in any common spelling, a date, a point)
// and writes it back with each row's 2025 commune, the rule and confidence
// of the match, or the error and the closest candidates, through the
// resolver of analytics/commune.
package csvresolve

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// Options configure Resolve.
type Options struct {
	// Province, when set (a 2025 code or a province name), is assumed for
	// rows without a province, and rows resolving outside it get an error.
	Province string
	// Comma is the field separator; 0 detects it from the header
	// (comma, semicolon or tab).
	Comma rune
}

// Stats counts what Resolve did.
type Stats struct {
	Rows     int
	Resolved int
	Split    int
	Errors   int
}

// Output columns Resolve adds.
var csvOutColumns = []string{"code", "name_2025", "rule", "confidence", "error", "candidates"}

// csvHeaders maps folded header names to the input fields.
var csvHeaders = map[string]string{
	"commune": "commune", "ward": "commune", "xa": "commune", "phuong": "commune", "xa phuong": "commune",
	"xa phuong thi tran": "commune", "xa phuong dac khu": "commune", "ten xa": "commune", "don vi": "commune",
	"district": "district", "huyen": "district", "quan huyen": "district", "huyen quan": "district",
	"huyen quan thi xa thanh pho": "district", "quan huyen thi xa": "district",
	"province": "province", "tinh": "province", "tinh thanh pho": "province", "tinh thanh": "province", "thanh pho": "province",
	"date": "date", "ngay": "date", "thoi gian": "date", "ngay thang": "date",
	"lon": "lon", "lng": "lon", "longitude": "lon", "kinh do": "lon", "x": "lon",
	"lat": "lat", "latitude": "lat", "vi do": "lat", "y": "lat",
	"ma": "code", "ma xa": "code", "commune code": "code", "ma don vi": "code",
}

// Resolve reads a CSV of places, resolves each row and writes the rows
// back with the columns code, name_2025, rule, confidence, error and
// candidates added (the command `antq resolve [--province P] FILE.csv|-`).
// Headers may be English or Vietnamese, with or without diacritics
// ("Xã/Phường", "Huyện", "Tỉnh", "Ngày", "Kinh độ", "Vĩ độ"); a commune
// column is required, district, province, date (2006-01-02 or 02/01/2006),
// lon/lat and a code (Mã xã) are optional. The separator is detected from
// the header unless set; the output uses the same one. A row that does not
// resolve is written with its error and candidates; only reading or
// writing failures stop the run.
func Resolve(ctx context.Context, r io.Reader, w io.Writer, res *commune.Resolver, opts Options) (Stats, error) {
	var st Stats
	br := bufio.NewReader(r)
	comma := opts.Comma
	if comma == 0 {
		line, err := br.Peek(4096)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return st, fmt.Errorf("read csv header: %w", err)
		}
		comma = detectComma(string(line))
	}
	var scope []analytics.ProvinceCode
	if opts.Province != "" {
		sc, ok := res.ProvinceScope(opts.Province)
		if !ok || len(sc) == 0 {
			return st, analytics.Errorf(analytics.CodeInvalid, "unknown province %q", opts.Province)
		}
		scope = sc
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if err != nil {
		return st, fmt.Errorf("read csv header: %w", err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	col := map[string]int{}
	for i, h := range head {
		if f, ok := csvHeaders[placename.Fold(h)]; ok {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		}
	}
	if _, ok := col["commune"]; !ok {
		return st, analytics.Errorf(analytics.CodeInvalid, "csv header %q has no commune column (commune, Xã/Phường, ...)", strings.Join(head, string(comma)))
	}
	cw := csv.NewWriter(w)
	cw.Comma = comma
	// Echoed text that reads as a formula gets a ' (analytics.SafeCell).
	if err := cw.Write(analytics.SafeRow(append(append([]string{}, head...), csvOutColumns...))); err != nil {
		return st, fmt.Errorf("write csv: %w", err)
	}
	get := func(rec []string, f string) string {
		if i, ok := col[f]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for line := 2; ; line++ {
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, fmt.Errorf("read csv row %d: %w", line, err)
		}
		st.Rows++
		p := analytics.Place{
			Code:     get(rec, "code"),
			Commune:  get(rec, "commune"),
			District: get(rec, "district"),
			Province: get(rec, "province"),
			Date:     parseDate(get(rec, "date")),
		}
		if lon, lat, ok := parseLonLat(get(rec, "lon"), get(rec, "lat")); ok {
			p.Lon, p.Lat, p.HasPoint = lon, lat, true
		}
		if p.Province == "" && opts.Province != "" {
			p.Province = opts.Province
		}
		out := make([]string, len(head), len(head)+len(csvOutColumns))
		copy(out, rec)
		rs, rerr := res.ResolveContext(ctx, p)
		if rerr == nil && opts.Province != "" && !slices.Contains(scope, rs.Province) {
			rerr = &analytics.ResolveError{Place: p, Reason: "outside province " + opts.Province,
				Candidates: []analytics.Candidate{{Code: string(rs.Commune), Name: rs.Name}}}
		}
		if rerr != nil {
			st.Errors++
			var cands []string
			reason := rerr.Error()
			if re, ok := rerr.(*analytics.ResolveError); ok {
				reason = re.Reason
				for _, c := range re.Candidates {
					cands = append(cands, c.Code+" "+c.Name)
				}
			}
			out = append(out, "", "", "", "", reason, strings.Join(cands, " | "))
		} else {
			st.Resolved++
			if rs.Split {
				st.Split++
			}
			rule := string(rs.Rule)
			out = append(out, string(rs.Commune), rs.Name, rule, strconv.FormatFloat(rs.Confidence, 'f', 2, 64), "", "")
		}
		if err := cw.Write(analytics.SafeRow(out)); err != nil {
			return st, fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return st, fmt.Errorf("write csv: %w", err)
	}
	return st, nil
}

func detectComma(s string) rune {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	best, n := ',', strings.Count(s, ",")
	for _, c := range []rune{';', '\t'} {
		if k := strings.Count(s, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

var dateLayouts = []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "2006/01/02",
	"02.01.2006", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "02/01/2006 15:04:05", "01/2006", "2006"}

// parseDate reads a date as Vietnamese files write it (day first). An
// unreadable date counts as unknown.
func parseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func parseLonLat(a, b string) (float64, float64, bool) {
	if a == "" || b == "" {
		return 0, 0, false
	}
	lon, err1 := strconv.ParseFloat(strings.ReplaceAll(a, ",", "."), 64)
	lat, err2 := strconv.ParseFloat(strings.ReplaceAll(b, ",", "."), 64)
	if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return 0, 0, false
	}
	return lon, lat, true
}
