package layout

import (
	"slices"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/value"
)

const maxHeaderDepth = 3 // rows a header may span

// Layout is what a table's header search found: the header rows and the
// title block above them. Readers set it on every row of the table.
type Layout struct {
	HeaderRows []int    // 1-based rows of the header
	Title      []string // distinct texts of the rows above the header, in order
	Index      int      // 0-based column of the row numbers (STT), -1 when none
}

// Find picks the header among the first rows of a table: the row, or
// the two or three rows read as group over sub-column, that name the most
// distinct known fields (of kind, or of any kind when it is empty:
// schema.Score). A deeper header wins a tie (its extra row names
// sub-columns, and a data row under a header lowers the score). It returns
// the header, the index in head of the first row under it and the layout
// (nums are the rows' numbers); a nil header when no row names at least
// minHeaderScore known fields.
func Find(head [][]string, nums []int, kind analytics.Kind) ([]string, int, *Layout) {
	var best []string
	bestScore, start, depth := minHeaderScore-1, -1, 0
	for r := range head {
		h := cleanAll(head[r])
		// A row of one text (a title merged across) is not a group row.
		grouped := len(distinctTexts(head[r])) >= 2
		for d := 1; d <= maxHeaderDepth && r+d <= len(head); d++ {
			if d > 1 {
				// A row under a header is part of it only when it names
				// sub-columns: two texts or more that differ from the cells
				// above them (a section row or a data row does not).
				if !grouped || !underHeader(h, head[r+d-1]) {
					break
				}
				h = combineHeader(h, head[r+d-1])
			}
			if s := schema.Score(h, kind); s > bestScore || s == bestScore && r == start && d > depth {
				best, bestScore, start, depth = h, s, r, d
			}
		}
	}
	if best == nil {
		return nil, 0, nil
	}
	// Trailing columns without a name are not columns.
	for len(best) > 0 && best[len(best)-1] == "" {
		best = best[:len(best)-1]
	}
	lay := &Layout{Index: -1}
	for i := start; i < start+depth; i++ {
		lay.HeaderRows = append(lay.HeaderRows, nums[i])
	}
	for i := 0; i < start; i++ {
		for _, v := range distinctTexts(head[i]) {
			lay.Title = append(lay.Title, v)
		}
	}
	for i, h := range best {
		if isIndexHeader(h) {
			lay.Index = i
			break
		}
	}
	return best, start + depth, lay
}

// underHeader reports whether sub reads as the lower row of a header whose
// upper rows are header: it names two sub-columns or more (cells that are
// not numbers and differ from the cell above), and at least one column
// spans both rows (the same text, or nothing, below its name). A title
// merged across the sheet has no such column; a section or data row names
// no sub-columns.
func underHeader(header, sub []string) bool {
	subs, spans := 0, 0
	for i := 0; i < max(len(header), len(sub)); i++ {
		var a, v string
		if i < len(header) {
			a = header[i]
		}
		if i < len(sub) {
			v = value.Clean(sub[i])
		}
		switch {
		case a != "" && (v == "" || v == a || strings.HasSuffix(a, schema.GroupSep+v)):
			spans++
		case v != "" && !value.Numeric(v):
			subs++
		}
	}
	return subs >= 2 && spans >= 1
}

func distinctTexts(row []string) []string {
	var out []string
	for _, v := range row {
		v = value.Clean(v)
		if v != "" && (len(out) == 0 || out[len(out)-1] != v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func isIndexHeader(h string) bool {
	switch placename.Fold(h) {
	case "stt", "tt", "so tt", "so thu tu", "thu tu", "no", "#":
		return true
	}
	return false
}

// minHeaderScore is the known columns a header row must name.
const minHeaderScore = 2

func cleanAll(row []string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		out[i] = value.Clean(v)
	}
	return out
}

// combineHeader reads two rows as one header: a cell with a different cell
// under it is a group over a sub-column. A group written once over several
// sub-columns without merging the cells (a CSV export) spreads over the
// sub-columns to its right while they have one.
func combineHeader(top, sub []string) []string {
	out := make([]string, max(len(top), len(sub)))
	parent := ""
	for i := range out {
		var a, b string
		if i < len(top) {
			a = value.Clean(top[i])
		}
		if i < len(sub) {
			b = value.Clean(sub[i])
		}
		switch {
		case a != "":
			parent = a
		case b != "" && parent != "" && i > 0 && i-1 < len(sub) && value.Clean(sub[i-1]) != "":
			a = parent
		default:
			parent = ""
		}
		switch {
		case b == "" || a == b || strings.HasSuffix(a, schema.GroupSep+b):
			out[i] = a
		case a == "":
			out[i] = b
		default:
			out[i] = a + schema.GroupSep + b
		}
	}
	return out
}
