package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/internal/gzbody"
)

// ContentType is the media type of GeoJSON bodies.
const ContentType = "application/geo+json; charset=utf-8"

// The map FeatureCollection written by hand, byte for byte as
// EncodeJSON(BuildMap(...)) writes it (encoding/json without HTML
// escaping: keys in struct order, map keys sorted, its string escapes and
// float format), without reflection or a map per feature. BuildMap stays
// for the charts, and the tests hold the two to the same bytes.

// Opening is a map feature up to its properties' first key,
//
//	{"type":"Feature","id":"…","geometry":…,"properties":{
//
// with its geometry and, when the map is spliced, the opening compressed
// (gzbody.DeflatePiece; Maps.openingZ keeps it per commune and level).
type Opening struct {
	geom json.RawMessage // nil: no boundary, "geometry":null
	z    gzbody.Piece    // the opening compressed; only when spliced
	text *featureText    // the commune's own property text, when known
}

// featureText is the part of a feature's properties that is the
// commune's own, encoded once (Maps.Openings keeps it): written as it is
// when the row is that commune's, instead of escaping its Vietnamese name
// on every request.
type featureText struct {
	code, kind, name string // what it encodes
	codeJSON         []byte // "…": the code as a JSON string
	kindName         []byte // ,"kind":"…","name":"…"
}

// newFeatureText encodes a commune's own property text.
func newFeatureText(c *commune.Commune) *featureText {
	t := &featureText{code: string(c.Code), kind: string(c.Kind), name: c.FullName}
	t.codeJSON = appendJSONString(nil, t.code)
	t.kindName = appendJSONString(append(appendJSONString(append([]byte(nil), `,"kind":`...), t.kind), `,"name":`...), t.name)
	return t
}

var openingTail = []byte(`,"properties":{`)

// appendOpeningHead writes a feature's opening up to its geometry.
func appendOpeningHead(dst []byte, code analytics.CommuneCode) []byte {
	dst = append(dst, `{"type":"Feature"`...)
	if code != "" { // "id" is omitempty
		dst = append(dst, `,"id":`...)
		dst = appendJSONString(dst, string(code))
	}
	return append(dst, `,"geometry":`...)
}

// EncodeMap writes the map FeatureCollection of in as a cached response;
// ops are the communes' openings, in the order of in.Communes. Spliced,
// the compressed openings go into the gzip member as they are and the
// response is marked for recompressing whole later; else the body is
// written plain and compressed whole.
func EncodeMap(in MapInput, ops []Opening, splice bool) (*gzbody.Body, error) {
	v, _, err := EncodeMapPlain(in, ops, splice, GzipOnly)
	return v, err
}

// BodyForm says which forms of a map's body to make.
type BodyForm int

// The forms of a map's body.
const (
	// GzipOnly: the gzip member, which the response cache keeps.
	GzipOnly BodyForm = iota
	// GzipAndPlain: the member and the plain body, for a client without
	// gzip whose request computes a response that will be cached (copying
	// the pieces' bytes costs a fraction of decompressing the member).
	GzipAndPlain
	// StreamPlain: the plain body alone, for a client without gzip when
	// the cache is off, as parts (gzbody.Body.Stream): the geometry is
	// written from where it is kept, not copied into one body.
	StreamPlain
	// StreamGzip: the gzip member as parts, for a client with gzip when
	// the cache is off (a map too small to splice is compressed whole).
	StreamGzip
)

// EncodeMapPlain is EncodeMap in the given form; the uncompressed body is
// returned beside the member for GzipAndPlain, else nil (a streamed form
// is in the Body's Stream).
func EncodeMapPlain(in MapInput, ops []Opening, splice bool, form BodyForm) (*gzbody.Body, []byte, error) {
	rows, meta := MapContent(in)
	if len(ops) != len(rows) {
		return nil, nil, analytics.Errorf(analytics.CodeInternal, "encode map: %d openings for %d communes", len(ops), len(rows))
	}
	antq, err := EncodeJSON(meta)
	if err != nil {
		return nil, nil, analytics.Errorf(analytics.CodeInternal, "encode map: %w", err)
	}
	text := len(antq) + textCap(rows)
	size, plainSize := text, text
	for _, op := range ops {
		plainSize += len(op.geom)
		if splice {
			size += len(op.z.Z)
		} else {
			size += len(op.geom)
		}
	}
	var sp *gzbody.Splicer
	switch {
	case form == StreamPlain:
		sp = gzbody.NewStreamSplicer(false, len(antq)+streamTextCap(rows, in.Cmp != nil), len(ops))
	case form == StreamGzip && splice:
		// The text and, per feature, the stored blocks' headers around it.
		sp = gzbody.NewStreamSplicer(true, len(antq)+streamTextCap(rows, in.Cmp != nil)+16*len(ops), len(ops))
	case splice:
		sp = gzbody.NewSplicer(size)
		if form == GzipAndPlain {
			sp.Plain = make([]byte, 0, plainSize)
		}
	default:
		sp = gzbody.NewSplicer(size)
		sp.Whole = true
	}
	sp.Text = append(sp.Text, `{"type":"FeatureCollection","features":[`...)
	var head []byte
	for i, r := range rows {
		if i > 0 {
			sp.Text = append(sp.Text, ',')
		}
		if op := ops[i]; op.geom != nil {
			head = appendOpeningHead(head[:0], r.Code)
			h := head
			if form == StreamPlain && len(h) >= gzbody.RefMin {
				h = bytes.Clone(h) // kept as it is, not copied: head is reused
			}
			z := op.z
			if !splice { // the ETag over the bytes, as Compress takes it
				z = gzbody.Piece{}
			}
			sp.Piece(z, h, op.geom, openingTail)
		} else {
			sp.Text = append(append(appendOpeningHead(sp.Text, r.Code), "null"...), openingTail...)
		}
		if sp.Text, err = appendMapProps(sp.Text, r, in.Cmp != nil, ops[i].text); err != nil {
			return nil, nil, analytics.Errorf(analytics.CodeInternal, "encode map: commune %s: %w", r.Code, err)
		}
		sp.Text = append(sp.Text, '}')
	}
	sp.Text = append(sp.Text, `],"antq":`...)
	sp.Text = append(sp.Text, antq...)
	sp.Text = append(sp.Text, '}')
	v, err := sp.Finish(ContentType)
	if err != nil || form != GzipAndPlain {
		return v, nil, err
	}
	return v, sp.Body(), nil
}

// textCap is room for the text of a map's features besides their
// geometry: per feature its opening, the fixed keys and their longest
// numbers, and its code, name, kind, reason and missing components. Sized
// so that neither the plain body nor the gzip member is grown (and copied)
// as it is written.
func textCap(rows []figures.Row) int {
	return rowsText(rows, 400, 2) // frame, keys, ids and nine numbers of ≤ 24 bytes
}

// streamTextCap is textCap for a streamed body: the text as long as it
// usually is rather than at most (a third of textCap for a national map,
// 1.6 MB less to clear per request). A streamed body's text may outgrow
// its buffer without copying what is already cut (gzbody.NewStreamSplicer).
func streamTextCap(rows []figures.Row, compare bool) int {
	perFeature := 200 // opening, frame, keys, class, rank and value
	if compare {
		perFeature += 100 // delta, delta_pct, value_compare
	}
	return rowsText(rows, perFeature, 1)
}

// rowsText is perFeature bytes a row, its code twice, its name and kind
// names times, its reason and its missing components.
func rowsText(rows []figures.Row, perFeature, names int) int {
	n := 64
	for _, r := range rows {
		n += perFeature + 2*len(r.Code) + names*(len(r.Name)+len(r.Kind)) + len(r.Reason)
		for _, m := range r.Missing {
			n += len(m) + 3
		}
	}
	return n
}

// appendMapProps writes a feature's properties after the opening's "{":
// the keys of mapProps in sorted order, then "}"; ft (nil: none) is the
// commune's own text, used when it is the row's.
func appendMapProps(dst []byte, r figures.Row, compare bool, ft *featureText) ([]byte, error) {
	var err error
	dst = appendJSONInt(append(dst, `"class":`...), r.Class)
	if ft != nil && ft.code == string(r.Code) {
		dst = append(append(dst, `,"code":`...), ft.codeJSON...)
	} else {
		dst = appendJSONString(append(dst, `,"code":`...), string(r.Code))
	}
	if r.Value == nil && len(r.Missing) > 0 {
		dst = append(dst, `,"components_missing":[`...)
		for i, id := range r.Missing {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, string(id))
		}
		dst = append(dst, ']')
	}
	if compare {
		if dst, err = appendJSONFloat(append(dst, `,"delta":`...), r.Delta); err != nil {
			return nil, err
		}
		if dst, err = appendJSONFloat(append(dst, `,"delta_pct":`...), r.DeltaPct); err != nil {
			return nil, err
		}
	}
	if ft != nil && ft.kind == r.Kind && ft.name == r.Name {
		dst = append(dst, ft.kindName...)
	} else {
		dst = appendJSONString(append(dst, `,"kind":`...), r.Kind)
		dst = appendJSONString(append(dst, `,"name":`...), r.Name)
	}
	dst = appendJSONInt(append(dst, `,"rank":`...), r.Rank)
	if r.Value == nil {
		dst = appendJSONString(append(dst, `,"reason":`...), string(r.Reason))
	}
	if dst, err = appendJSONFloat(append(dst, `,"value":`...), r.Value); err != nil {
		return nil, err
	}
	if compare {
		if dst, err = appendJSONFloat(append(dst, `,"value_compare":`...), r.Compare); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

func appendJSONInt(dst []byte, v *int) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, int64(*v), 10)
}

var errNonFinite = errors.New("json: unsupported value: NaN or infinity")

// maxExactInt bounds the whole numbers appendJSONFloat writes as
// integers: 2^53, below which every integer is a float64.
const maxExactInt = 1 << 53

// appendJSONFloat writes a float64 as encoding/json does: like ES6, plain
// digits from 1e-6 up to 1e21, else an exponent without padding ("1e-7").
func appendJSONFloat(dst []byte, v *float64) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	f := *v
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errNonFinite
	}
	// A whole number (counts, ranks of a map: most of a national map's
	// numbers) as an integer: the same digits as 'f' below, at a fraction of
	// its cost. Not -0, which encoding/json writes "-0".
	if i := int64(f); float64(i) == f && i > -maxExactInt && i < maxExactInt && (i != 0 || !math.Signbit(f)) {
		return strconv.AppendInt(dst, i, 10), nil
	}
	if abs := math.Abs(f); abs == 0 || (abs >= 1e-6 && abs < 1e21) {
		return strconv.AppendFloat(dst, f, 'f', -1, 64), nil
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	// strconv pads the exponent to two digits: "1e-07" becomes "1e-7"
	// (exponents from e+21 up have two digits or more anyway).
	if n := len(dst); n-start >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst, nil
}

// appendJSONString writes s quoted as encoding/json does without HTML
// escaping: \" \\ \b \f \n \r \t, other control bytes as \u00XX, invalid
// UTF-8 as \ufffd, and U+2028 and U+2029 escaped (JSONP safety).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	done := 0 // s[:done] is written
	for i := 0; i < len(s); {
		b := s[i]
		if b >= 0x20 && b != '"' && b != '\\' && b < utf8.RuneSelf {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = appendEscape(append(dst, s[done:i]...), b)
			i++
			done = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(append(dst, s[done:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[done:i]...), `\u202`...)
			dst = append(dst, "89"[r-'\u2028'])
		default:
			i += n
			continue
		}
		i += n
		done = i
	}
	return append(append(dst, s[done:]...), '"')
}

// appendEscape writes the escape of an ASCII byte that needs one.
func appendEscape(dst []byte, b byte) []byte {
	switch b {
	case '"', '\\':
		return append(dst, '\\', b)
	case '\b':
		return append(dst, `\b`...)
	case '\f':
		return append(dst, `\f`...)
	case '\n':
		return append(dst, `\n`...)
	case '\r':
		return append(dst, `\r`...)
	case '\t':
		return append(dst, `\t`...)
	}
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
}

// EncodeJSON encodes v with encoding/json without HTML escaping.
func EncodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
