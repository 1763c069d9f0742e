package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/internal/gzbody"
)

func mustEncodeJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := EncodeJSON(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestAppendJSONString(t *testing.T) {
	tests := []string{
		"", "00082", "Xã Hùng Lợi", "Phường Hà Giang 1", "đặc khu", `a"b\c`, "a/b", "<b>&amp;</b>",
		"tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "\u2028\u2029", "\u2027\u202a", "bad \xff\xfe utf-8 \xc3",
		"cut \xe1\xba", "😀 emoji", "\U0010ffff", "\xed\xa0\x80 surrogate",
	}
	for b := range 256 {
		tests = append(tests, string([]byte{byte(b)}), "x"+string([]byte{byte(b)})+"y")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 { // mostly valid UTF-8
				b = utf8.AppendRune(b[:i], rune(rng.IntN(0x3000)))
				break
			}
		}
		tests = append(tests, string(b))
	}
	for _, s := range tests {
		want := mustEncodeJSON(t, s)
		if got := appendJSONString([]byte("x"), s); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Errorf("%q: got %s, want %s", s, got[1:], want)
		}
	}
}

func TestAppendJSONFloat(t *testing.T) {
	tests := []float64{
		0, math.Copysign(0, -1), 1, -1, 0.5, 0.1, 1.0 / 3, 2025, 75.6, -7.06, 12.44, 123456789.123456,
		1e-6, 9.99e-7, 1e-7, -1e-7, 1.5e-9, 1e-10, 5e-324, 1e20, 1e21, -1e21, 9.999999999999999e20, 1.5e300,
		math.MaxFloat64, math.SmallestNonzeroFloat64, figures.Round6(2.0 / 3), figures.Round6(1e-7), 4503599627370496.5,
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		f := math.Float64frombits(rng.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		tests = append(tests, f, figures.Round6(rng.NormFloat64()*1000))
		// Whole numbers (written as integers), across the edge of 2^53.
		tests = append(tests, float64(rng.IntN(100000)), -float64(rng.IntN(100000)), math.Ldexp(float64(rng.Int64N(1<<53)), rng.IntN(12)))
	}
	for _, e := range []float64{1 << 53, 1<<53 - 1, 1<<53 + 2, -(1 << 53), -(1<<53 - 1), 1 << 62, 1 << 63, -(1 << 63), 1 << 64} {
		tests = append(tests, e)
	}
	for _, f := range tests {
		want := mustEncodeJSON(t, f)
		got, err := appendJSONFloat(nil, &f)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%v: got %s (%v), want %s", f, got, err, want)
		}
	}
	if got, _ := appendJSONFloat([]byte("x"), nil); string(got) != "xnull" {
		t.Errorf("nil: %s", got)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := appendJSONFloat(nil, &f); err == nil {
			t.Errorf("%v: no error", f)
		}
	}
}

// mapCase is a synthetic map: communes with figures, some without
// boundary (nil geometry), some without data.
type mapCase struct {
	name     string
	communes []*commune.Commune
	geoms    []json.RawMessage
	cur, cmp map[analytics.CommuneCode]figures.Figure
}

func testWindow(spec string, from time.Time) analytics.Window {
	return analytics.Window{Spec: spec, From: from, To: from.AddDate(1, 0, 0)}
}

func (mc mapCase) input(tb testing.TB) MapInput {
	tb.Helper()
	m, ok := analytics.MetricByID("resolution_rate")
	if !ok {
		tb.Fatal("no metric resolution_rate")
	}
	table := func(figs map[analytics.CommuneCode]figures.Figure, w analytics.Window) *figures.Table {
		return &figures.Table{Metric: m, Province: "08", Window: w, ByCode: figs, Total: 75.6, TotalOK: true, SumNum: 756, SumDen: 1000, Communes: len(mc.communes)}
	}
	in := MapInput{Province: "08", ProvinceName: "Tuyên Quang", Source: "Công an tỉnh <Tuyên Quang> & \"x\"", Level: commune.LevelLow,
		Communes: mc.communes, Encoded: map[analytics.CommuneCode]json.RawMessage{}, Synthetic: true,
		Cur: table(mc.cur, testWindow("2025", time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC)))}
	if mc.cmp != nil {
		in.Cmp = table(mc.cmp, testWindow("2024", time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC)))
	}
	for i, c := range mc.communes {
		if mc.geoms[i] != nil {
			in.Encoded[c.Code] = mc.geoms[i]
		}
	}
	return in
}

func testCommunes(n int) ([]*commune.Commune, []json.RawMessage) {
	names := []string{"Xã Hùng Lợi", "Phường Hà Giang 1", `Xã "Quote" \ Back`, "Đặc khu\u2028Line", "Xã <b>&</b>", "bad \xff"}
	kinds := []placename.Kind{placename.KindCommune, placename.KindWard, placename.KindSpecialZone}
	cs := make([]*commune.Commune, n)
	geoms := make([]json.RawMessage, n)
	for i := range cs {
		cs[i] = &commune.Commune{Code: analytics.CommuneCode(fmt.Sprintf("%05d", 100+i*3)), Province: "08",
			FullName: names[i%len(names)], Kind: kinds[i%len(kinds)]}
		if i%4 != 2 { // every fourth commune has no boundary
			geoms[i] = json.RawMessage(fmt.Sprintf(`{"type":"MultiPolygon","coordinates":[[[[105.%06d,21.%06d],[105.1,21.2],[105.%06d,21.%06d]]]]}`, i*7919%1000000, i*104729%1000000, i*7919%1000000, i*104729%1000000))
		}
	}
	return cs, geoms
}

func testFigures(rng *rand.Rand, cs []*commune.Commune) map[analytics.CommuneCode]figures.Figure {
	values := []float64{0, 1, 2025, 75.6, 1.0 / 3, 1e-7, 2.5e21, -12.44, 100}
	out := map[analytics.CommuneCode]figures.Figure{}
	for _, c := range cs {
		switch rng.IntN(4) {
		case 0: // no data
		case 1:
			out[c.Code] = figures.Figure{Num: 1, Den: 0} // a row, but no value
		default:
			v := values[rng.IntN(len(values))]
			out[c.Code] = figures.Figure{Num: v, Den: 1, Value: v, OK: true}
		}
	}
	return out
}

// TestEncodeMap holds encodeMap to the bytes encoding/json writes of
// buildMap's FeatureCollection, through gzip.
func TestEncodeMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	cs, geoms := testCommunes(40)
	tests := []mapCase{
		{name: "no communes", communes: nil, geoms: nil, cur: nil},
		{name: "one feature", communes: cs[:1], geoms: geoms[:1], cur: testFigures(rng, cs[:1])},
		{name: "one feature without geometry", communes: cs[2:3], geoms: geoms[2:3], cur: testFigures(rng, cs[2:3])},
		{name: "no geometry at all", communes: cs[2:3:3], geoms: []json.RawMessage{nil}, cur: map[analytics.CommuneCode]figures.Figure{}},
		{name: "no data", communes: cs, geoms: geoms, cur: map[analytics.CommuneCode]figures.Figure{}},
		{name: "values", communes: cs, geoms: geoms, cur: testFigures(rng, cs)},
		{name: "compare", communes: cs, geoms: geoms, cur: testFigures(rng, cs), cmp: testFigures(rng, cs)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.input(t)
			want, err := EncodeJSON(BuildMap(in))
			if err != nil {
				t.Fatal(err)
			}
			ops := make([]Opening, len(tt.communes))
			for i, c := range tt.communes {
				ops[i].geom = tt.geoms[i]
				if tt.geoms[i] != nil {
					if ops[i].z, err = gzbody.DeflatePiece(appendOpeningHead(nil, c.Code), tt.geoms[i], openingTail); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The communes' own text not at all, stale (another name: not
			// used), or encoded once, as Maps.Openings keeps it (and as the
			// rest of the test goes on).
			texts := [][]*featureText{make([]*featureText, len(ops)), make([]*featureText, len(ops)), make([]*featureText, len(ops))}
			for i, c := range tt.communes {
				other := *c
				other.FullName += " cũ"
				texts[1][i] = newFeatureText(&other)
				texts[2][i] = newFeatureText(c)
			}
			for k, ts := range texts {
				for i := range ops {
					ops[i].text = ts[i]
				}
				v, err := EncodeMap(in, ops, true)
				if err != nil {
					t.Fatal(err)
				}
				if err := gzbody.Verify(v, want, ContentType); err != nil {
					t.Fatalf("feature texts %d: %v", k, err)
				}
			}
			for _, splice := range []bool{true, false} {
				v, err := EncodeMap(in, ops, splice)
				if err != nil {
					t.Fatal(err)
				}
				if v.Spliced != splice {
					t.Errorf("spliced = %v, want %v", v.Spliced, splice)
				}
				if err := gzbody.Verify(v, want, ContentType); err != nil {
					t.Fatal(err)
				}
				// Kept plain for a client without gzip: the same body.
				v, plain, err := EncodeMapPlain(in, ops, splice, GzipAndPlain)
				if err != nil {
					t.Fatal(err)
				}
				if err := gzbody.Verify(v, want, ContentType); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(plain, want) {
					t.Errorf("spliced %v: plain body differs:\n got %.200s\nwant %.200s", splice, plain, want)
				}
				// Streamed (cache off), plain and gzip: the same bytes, size
				// and ETag, written from the openings as they are kept.
				for _, form := range []BodyForm{StreamPlain, StreamGzip} {
					vs, none, err := EncodeMapPlain(in, ops, splice, form)
					if err != nil {
						t.Fatal(err)
					}
					if err := gzbody.Verify(vs, want, ContentType); err != nil {
						t.Fatalf("spliced %v, form %d: %v", splice, form, err)
					}
					streamed := form == StreamPlain || splice // a small map is compressed whole
					if none != nil || (vs.Stream != nil) != streamed || vs.ETag != v.ETag || vs.Spliced {
						t.Errorf("spliced %v, form %d: plain %d bytes, stream %v, etag %s spliced %v; want no plain, stream %v, etag %s",
							splice, form, len(none), vs.Stream != nil, vs.ETag, vs.Spliced, streamed, v.ETag)
					}
					if form == StreamGzip && splice && !bytes.Equal(vs.Stream.Bytes(), v.GZ) {
						t.Errorf("streamed member differs from the assembled one")
					}
				}
				// Kept in the room made for it at the start: never grown
				// (a grown buffer copies the whole body).
				if splice {
					rows, meta := MapContent(in)
					antq, err := EncodeJSON(meta)
					if err != nil {
						t.Fatal(err)
					}
					c, z := len(antq)+textCap(rows), len(antq)+textCap(rows)
					for _, op := range ops {
						c += len(op.geom)
						z += len(op.z.Z)
					}
					if cap(plain) != c {
						t.Errorf("plain body of %d bytes grew its buffer: cap %d, made %d", len(plain), cap(plain), c)
					}
					if cap(v.GZ) != z+64 {
						t.Errorf("gzip member of %d bytes grew its buffer: cap %d, made %d", len(v.GZ), cap(v.GZ), z+64)
					}
				}
			}
		})
	}
}

func TestEncodeMapErrors(t *testing.T) {
	cs, geoms := testCommunes(3)
	nan := map[analytics.CommuneCode]figures.Figure{cs[1].Code: {Value: math.NaN(), OK: true}}
	in := mapCase{communes: cs, geoms: geoms, cur: nan}.input(t)
	if _, err := EncodeJSON(BuildMap(in)); err == nil {
		t.Error("encoding/json encoded NaN")
	}
	if _, err := EncodeMap(in, make([]Opening, len(cs)), true); analytics.ErrorCode(err) != analytics.CodeInternal {
		t.Errorf("NaN: %v", err)
	}
	if _, err := EncodeMap(in, nil, false); analytics.ErrorCode(err) != analytics.CodeInternal {
		t.Errorf("missing openings: %v", err)
	}
	inf := math.Inf(1)
	for _, r := range []figures.Row{{Value: &inf}, {Delta: &inf}, {DeltaPct: &inf}, {Compare: &inf}} {
		if _, err := appendMapProps(nil, r, true, nil); err == nil {
			t.Errorf("no error for %+v", r)
		}
	}
}

// BenchmarkIdentityBody: the body of a cold map for a client without gzip,
// kept as it is written (encodeMapPlain) against the spliced gzip member
// decompressed (what was served before), and, the cache off, the body
// streamed from its parts, plain and gzip (the writing not timed), side by
// side in one run; the gzip member alone for reference. Boundaries of a province map's size (124
// communes, ≈ 3.4 KB of GeoJSON each) and of the national map's (3,321
// communes, ≈ 1.7 KB each).
func BenchmarkIdentityBody(b *testing.B) {
	for _, size := range []struct {
		name     string
		communes int
		vertices int
	}{{"province", 124, 160}, {"national", 3321, 80}} {
		cs, _ := testCommunes(size.communes)
		geoms := make([]json.RawMessage, len(cs))
		ops := make([]Opening, len(cs))
		rng := rand.New(rand.NewPCG(1, 2))
		for i, c := range cs {
			g := []byte(`{"type":"MultiPolygon","coordinates":[[[`)
			for j := range size.vertices {
				if j > 0 {
					g = append(g, ',')
				}
				g = fmt.Appendf(g, "[%.6f,%.6f]", 104+rng.Float64(), 21+rng.Float64())
			}
			geoms[i] = append(g, "]]]}"...)
			ops[i].geom = geoms[i]
			ops[i].text = newFeatureText(c)
			var err error
			if ops[i].z, err = gzbody.DeflatePiece(appendOpeningHead(nil, c.Code), geoms[i], openingTail); err != nil {
				b.Fatal(err)
			}
		}
		in := mapCase{communes: cs, geoms: geoms, cur: testFigures(rand.New(rand.NewPCG(3, 4)), cs)}.input(b)
		b.Run(size.name+"/gzip", func(b *testing.B) {
			for b.Loop() {
				if _, err := EncodeMap(in, ops, true); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/identity_decompressed", func(b *testing.B) {
			for b.Loop() {
				v, err := EncodeMap(in, ops, true)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := v.Plain(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/identity_kept", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := EncodeMapPlain(in, ops, true, GzipAndPlain); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Cache off: streamed, plain and gzip; what is timed is the parts
		// and the hashes; writing them is the connection's (one more copy).
		for _, st := range []struct {
			name string
			form BodyForm
		}{{"stream_plain", StreamPlain}, {"stream_gzip", StreamGzip}} {
			b.Run(size.name+"/"+st.name, func(b *testing.B) {
				for b.Loop() {
					if _, _, err := EncodeMapPlain(in, ops, true, st.form); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkAppendJSONFloat: 4,096 whole numbers (counts, as most of a
// national map's numbers are) written by appendJSONFloat, which writes
// them as integers, against strconv's shortest 'f' format that wrote them
// before; and fractions (rates), which still take it.
func BenchmarkAppendJSONFloat(b *testing.B) {
	whole, frac := make([]float64, 4096), make([]float64, 4096)
	for i := range whole {
		whole[i] = float64(i * 37 % 5000)
		frac[i] = figures.Round6(float64(i*37%5000) / 7)
	}
	buf := make([]byte, 0, 64)
	b.Run("whole/integer", func(b *testing.B) {
		for b.Loop() {
			for i := range whole {
				buf, _ = appendJSONFloat(buf[:0], &whole[i])
			}
		}
	})
	b.Run("whole/strconv_f", func(b *testing.B) {
		for b.Loop() {
			for _, v := range whole {
				buf = strconv.AppendFloat(buf[:0], v, 'f', -1, 64)
			}
		}
	})
	b.Run("fraction", func(b *testing.B) {
		for b.Loop() {
			for i := range frac {
				buf, _ = appendJSONFloat(buf[:0], &frac[i])
			}
		}
	})
}
