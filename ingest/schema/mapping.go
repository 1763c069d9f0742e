package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/value"
)

// GroupSep joins a merged group header and the sub-column under it:
// "Tọa độ" over "Kinh độ" becomes "Tọa độ - Kinh độ".
const GroupSep = " - "

// aliases maps, per kind, a folded header to its field.
var aliases = func() map[analytics.Kind]map[string]Field {
	out := make(map[analytics.Kind]map[string]Field)
	for kind, cols := range columns {
		m := make(map[string]Field)
		for _, c := range cols {
			for _, a := range append([]string{c.Label}, c.Aliases...) {
				k := placename.Fold(a)
				if f, dup := m[k]; dup && f != c.Field {
					panic(fmt.Sprintf("ingest: %s header %q maps to %s and %s", kind, a, f, c.Field))
				}
				m[k] = c.Field
			}
		}
		out[kind] = m
	}
	return out
}()

// Lookup returns the field a header names in kind, trying the whole
// header and then the part after a merged group name; None when it names
// none.
func Lookup(kind analytics.Kind, h string) Field {
	m := aliases[kind]
	if f, ok := m[placename.Fold(h)]; ok {
		return f
	}
	if i := strings.LastIndex(h, GroupSep); i >= 0 {
		return m[placename.Fold(h[i+len(GroupSep):])]
	}
	return None
}

// Score counts the distinct fields a header names, for kind or, when kind
// is empty, for the kind it fits best. Columns marking one outcome each
// ("Kết quả giải quyết - Hòa giải thành") count as the outcome field.
func Score(header []string, kind analytics.Kind) int {
	best := 0
	for _, k := range analytics.Kinds {
		if kind != "" && k != kind {
			continue
		}
		var seen [NumFields]bool
		n := 0
		for _, h := range header {
			if h == "" {
				continue
			}
			f := Lookup(k, h)
			if f == None && k == analytics.KindIncidents {
				if j := strings.LastIndex(h, GroupSep); j >= 0 {
					if _, err := value.ParseOutcome(h[j+len(GroupSep):]); err == nil {
						f = Outcome // one of the columns marking the outcome
					}
				}
			}
			if f != None && !seen[f] {
				seen[f] = true
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// Mapping is a table's header mapped to the fields of one kind.
type Mapping struct {
	Kind   analytics.Kind
	Header []string // as given, a column without a name named by its letter (ColumnLetter)
	Extra  []int    // columns of no field: kept in the record's Source.Extra
	// Outcomes are incident columns that each stand for one outcome,
	// marked "x" on the row that had it: "Kết quả giải quyết" over "Hòa
	// giải thành", "Chuyển cơ quan chức năng", ...
	Outcomes []OutcomeColumn
	col      [NumFields]int // column of each field, -1 when absent
}

// OutcomeColumn is a column standing for one outcome (analytics.Outcomes).
type OutcomeColumn struct {
	Col     int
	Outcome string
}

// Col returns the column of field f, -1 when the table has none.
func (m *Mapping) Col(f Field) int { return m.col[f] }

// Has reports whether the table has a column for f.
func (m *Mapping) Has(f Field) bool { return m.col[f] >= 0 }

// NewMapping maps header to the fields of kind. A field named by two
// columns takes the first; the second is kept as an extra column. A
// column without a name is named by its letter in header. The error, an
// invalid-input one, names the required columns the header lacks; the
// mapping is returned with it.
func NewMapping(kind analytics.Kind, header []string) (*Mapping, error) {
	m := &Mapping{Kind: kind, Header: header}
	for i := range m.col {
		m.col[i] = -1
	}
	for i, h := range header {
		f := Lookup(kind, h)
		if f != None && m.col[f] < 0 {
			m.col[f] = i
			continue
		}
		if kind == analytics.KindIncidents && f == None {
			if j := strings.LastIndex(h, GroupSep); j >= 0 {
				if o, err := value.ParseOutcome(h[j+len(GroupSep):]); err == nil {
					m.Outcomes = append(m.Outcomes, OutcomeColumn{i, o})
					continue
				}
			}
		}
		if strings.TrimSpace(h) == "" {
			h = ColumnLetter(i)
			header[i] = h
		}
		m.Extra = append(m.Extra, i)
	}
	var missing []string
	for _, group := range requires[kind] {
		if !slices.ContainsFunc(group, m.Has) {
			missing = append(missing, labelsOf(kind, group))
		}
	}
	if len(missing) > 0 {
		return m, analytics.Errorf(analytics.CodeInvalid, "%s file has no column %s", kind, strings.Join(missing, ", no column "))
	}
	return m, nil
}

// labelsOf names a group of fields by their Vietnamese labels: "Xã/Phường"
// or "Mã xã".
func labelsOf(kind analytics.Kind, group []Field) string {
	var names []string
	for _, f := range group {
		for _, c := range columns[kind] {
			if c.Field == f {
				names = append(names, fmt.Sprintf("%q", c.Label))
				break
			}
		}
	}
	return strings.Join(names, " or ")
}

// DetectKind tells the kind of records a table holds from its header. Each
// kind whose required columns are all present scores the number of columns
// it recognises; the best score wins, and a tie is an error that asks for
// the kind to be given.
func DetectKind(header []string) (analytics.Kind, error) {
	type score struct {
		kind analytics.Kind
		n    int
	}
	var ok []score
	best := score{}
	for _, kind := range analytics.Kinds {
		m, err := NewMapping(kind, slices.Clone(header))
		n := len(header) - len(m.Extra)
		if n > best.n {
			best = score{kind, n}
		}
		if err == nil {
			ok = append(ok, score{kind, n})
		}
	}
	if len(ok) == 0 {
		if best.n == 0 {
			return "", analytics.Errorf(analytics.CodeInvalid, "no known column in header %s", headerList(header))
		}
		_, err := NewMapping(best.kind, slices.Clone(header))
		return "", analytics.Errorf(analytics.CodeInvalid, "cannot tell the kind of records: looks most like %s but %w", best.kind, err)
	}
	slices.SortStableFunc(ok, func(a, b score) int { return b.n - a.n })
	if len(ok) > 1 && ok[0].n == ok[1].n {
		var tied []string
		for _, s := range ok {
			if s.n == ok[0].n {
				tied = append(tied, string(s.kind))
			}
		}
		return "", analytics.Errorf(analytics.CodeInvalid, "cannot tell the kind of records: header %s fits %s equally; give the kind (--kind)", headerList(header), strings.Join(tied, " and "))
	}
	return ok[0].kind, nil
}

func headerList(header []string) string {
	const max = 8
	var b strings.Builder
	b.WriteByte('[')
	for i, h := range header {
		if i == max {
			fmt.Fprintf(&b, " … %d more", len(header)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(h)
	}
	b.WriteByte(']')
	return b.String()
}

// ColumnLetter names column i (0-based) as a spreadsheet does: A, B, ..., AA.
func ColumnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
