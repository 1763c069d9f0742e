package gzbody

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// segment is a test body's part: plain text, or a piece compressed with
// deflatePiece.
type segment struct {
	text  string
	piece bool
}

// splice assembles segs and returns the member with the body it must hold.
func splice(tb testing.TB, segs []segment) (*Body, []byte) {
	tb.Helper()
	v, body := spliceWith(tb, NewSplicer(0), segs)
	if !v.Spliced {
		tb.Fatal("a spliced member not marked spliced")
	}
	return v, body
}

// spliceWith assembles segs with sp.
func spliceWith(tb testing.TB, sp *Splicer, segs []segment) (*Body, []byte) {
	tb.Helper()
	var body []byte
	for _, s := range segs {
		body = append(body, s.text...)
		if !s.piece {
			sp.Text = append(sp.Text, s.text...)
			continue
		}
		// The piece's plain bytes given in two parts, as encodeMap does.
		half := len(s.text) / 2
		sp.Piece(mustPiece(tb, s.text), []byte(s.text[:half]), []byte(s.text[half:]))
	}
	v, err := sp.Finish(ctGeoJSON)
	if err != nil {
		tb.Fatal(err)
	}
	return v, body
}

var pieceMemo = map[string]Piece{}

func mustPiece(tb testing.TB, s string) Piece {
	tb.Helper()
	if z, ok := pieceMemo[s]; ok {
		return z
	}
	z, err := DeflatePiece([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	pieceMemo[s] = z
	return z
}

const ctGeoJSON = "application/geo+json; charset=utf-8"

// checkMember holds v to body (Verify), then the same segments streamed,
// as a member and plain: the same bytes, size and ETag, nothing cached.
func checkMember(tb testing.TB, v *Body, body []byte, segs []segment) {
	tb.Helper()
	if err := Verify(v, body, ctGeoJSON); err != nil {
		tb.Fatal(err)
	}
	for _, member := range []bool{true, false} {
		s, b := spliceWith(tb, NewStreamSplicer(member, 0, 0), segs)
		if !bytes.Equal(b, body) {
			tb.Fatal("test segments differ")
		}
		if s.Stream == nil || s.StreamGzip != member || s.GZ != nil || s.Spliced {
			tb.Fatalf("streamed (member %v): stream %v gzip %v, %d member bytes, spliced %v", member, s.Stream != nil, s.StreamGzip, len(s.GZ), s.Spliced)
		}
		if err := Verify(s, body, ctGeoJSON); err != nil {
			tb.Fatalf("streamed (member %v): %v", member, err)
		}
		if member && !bytes.Equal(s.Stream.Bytes(), v.GZ) {
			tb.Fatal("streamed member differs from the assembled one")
		}
	}
}

func TestSplicer(t *testing.T) {
	geom := `{"type":"MultiPolygon","coordinates":[[[[105.123456,21.654321],[105.123457,21.654322],[105.123456,21.654321]]]]}`
	big := strings.Repeat("0123456789abcdef", maxStored/16+1)
	tests := []struct {
		name string
		segs []segment
	}{
		{"empty", nil},
		{"text only", []segment{{text: `{"type":"FeatureCollection","features":[]}`}}},
		{"empty texts", []segment{{text: ""}, {text: ""}}},
		{"one piece", []segment{{text: geom, piece: true}}},
		{"piece first", []segment{{text: geom, piece: true}, {text: `,"x":1}`}}},
		{"piece last", []segment{{text: `{"a":`}, {text: geom, piece: true}}},
		{"adjacent pieces", []segment{{text: geom, piece: true}, {text: geom, piece: true}, {text: "x"}, {text: geom, piece: true}}},
		{"empty piece", []segment{{text: "a"}, {text: "", piece: true}, {text: "b"}}},
		{"one-byte piece", []segment{{text: "a"}, {text: "{", piece: true}, {text: "b"}}},
		{"text of a full stored block", []segment{{text: big[:maxStored]}, {text: geom, piece: true}, {text: big[:maxStored]}}},
		{"text over a stored block", []segment{{text: big}, {text: geom, piece: true}, {text: big + big}}},
		{"piece over a stored block", []segment{{text: "["}, {text: big + geom, piece: true}, {text: "]"}}},
		{"UTF-8 text", []segment{{text: `"name":"Phường Hà Giang 1"`}, {text: geom, piece: true}, {text: `"kind":"đặc khu"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, body := splice(t, tt.segs)
			checkMember(t, v, body, tt.segs)
		})
	}
}

// TestSplicerRandom splices pieces of random, repetitive content (so they
// have back-references) between random texts, each piece several times:
// a piece must not depend on what comes before it.
func TestSplicerRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := make([]string, 12)
	for i := range pieces {
		pieces[i] = randomJSONish(rng, rng.IntN(5000))
	}
	for i := range 200 {
		segs := make([]segment, rng.IntN(20))
		for j := range segs {
			if rng.IntN(2) == 0 {
				segs[j] = segment{text: pieces[rng.IntN(len(pieces))], piece: true}
			} else {
				segs[j] = segment{text: randomJSONish(rng, rng.IntN(300))}
			}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			v, body := splice(t, segs)
			checkMember(t, v, body, segs)
		})
	}
}

// randomJSONish is n bytes from a small alphabet with repeats, like
// coordinates, and now and then a byte of any value.
func randomJSONish(rng *rand.Rand, n int) string {
	const alphabet = `0123456789.,[]{}":-abcđườ`
	b := make([]byte, 0, n)
	for len(b) < n {
		switch k := rng.IntN(10); {
		case k == 0 && len(b) > 8: // repeat something seen
			from := rng.IntN(len(b) - 4)
			b = append(b, b[from:from+4+rng.IntN(min(len(b)-from-4, 40)+1)]...)
		case k == 1:
			b = append(b, byte(rng.IntN(256)))
		default:
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
	}
	return string(b[:n])
}

// FuzzSplicer cuts the input into segments at the given points, every
// other one a piece.
func FuzzSplicer(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature"}]}`), uint16(3), uint16(17), uint16(40))
	f.Add([]byte{}, uint16(0), uint16(0), uint16(0))
	f.Add(bytes.Repeat([]byte("[105.1,21.2],"), 500), uint16(1000), uint16(1001), uint16(5000))
	f.Fuzz(func(t *testing.T, data []byte, a, b, c uint16) {
		cuts := []int{0, min(int(a), len(data)), min(int(b), len(data)), min(int(c), len(data)), len(data)}
		var segs []segment
		for i := 1; i < len(cuts); i++ {
			lo, hi := cuts[i-1], max(cuts[i-1], cuts[i])
			cuts[i] = hi
			segs = append(segs, segment{text: string(data[lo:hi]), piece: i%2 == 0})
		}
		v, body := splice(t, segs)
		checkMember(t, v, body, segs)
	})
}

// BenchmarkSplicer assembles a body shaped like the national map: 3,321
// pieces of 1.7 KB (compressed once) with 100 bytes of text between them.
func BenchmarkSplicer(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 3321
	texts := make([][]byte, n)
	plains := make([][]byte, 64)
	zs := make([]Piece, len(plains))
	for i := range plains {
		plains[i] = []byte(randomJSONish(rng, 1700))
		zs[i] = mustPiece(b, string(plains[i]))
	}
	for i := range texts {
		texts[i] = []byte(randomJSONish(rng, 100))
	}
	for _, tt := range []struct {
		name string
		new  func() *Splicer
	}{
		{"assembled", func() *Splicer { return NewSplicer(n * 700) }},
		{"streamed_member", func() *Splicer { return NewStreamSplicer(true, n*110, n) }},
		{"streamed_plain", func() *Splicer { return NewStreamSplicer(false, n*110, n) }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				sp := tt.new()
				for i, t := range texts {
					sp.Text = append(sp.Text, t...)
					sp.Piece(zs[i%len(zs)], plains[i%len(zs)])
				}
				v, err := sp.Finish(ctGeoJSON)
				if err != nil {
					b.Fatal(err)
				}
				if size = len(v.GZ); v.Stream != nil {
					size = v.Stream.Len()
				}
			}
			b.ReportMetric(float64(size)/1024, "KiB")
		})
	}
}

// wantETag is the ETag of a spliced body of segs: an xxhash of the text
// and of each piece's xxhash, never of the pieces' bytes.
func wantETag(segs []segment) string {
	h := xxhash.New()
	n := 0
	for _, s := range segs {
		n += len(s.text)
		if s.piece {
			_, _ = h.Write(binary.LittleEndian.AppendUint64(nil, xxhash.Sum64String(s.text)))
			continue
		}
		_, _ = h.WriteString(s.text)
	}
	return ETagOf(h.Sum64(), n)
}

// TestSplicerETag: every splicer gives a body its ETag over its text and
// its pieces' sums, the same for the assembled member and both streams;
// a byte changed anywhere, in a text or in a piece, changes it.
func TestSplicerETag(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := range 100 {
		segs := make([]segment, 1+rng.IntN(12))
		for j := range segs {
			segs[j] = segment{text: randomJSONish(rng, 1+rng.IntN(800)), piece: rng.IntN(2) == 0}
		}
		segs[rng.IntN(len(segs))].piece = true
		want := wantETag(segs)
		for _, sp := range []*Splicer{NewSplicer(0), NewStreamSplicer(true, 0, 0), NewStreamSplicer(false, 0, 0)} {
			v, _ := spliceWith(t, sp, segs)
			if v.ETag != want {
				t.Fatalf("case %d: ETag %s, want %s", i, v.ETag, want)
			}
		}
		k := rng.IntN(len(segs))
		changed := append([]segment(nil), segs...)
		b := []byte(changed[k].text)
		b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
		changed[k].text = string(b)
		for _, sp := range []*Splicer{NewSplicer(0), NewStreamSplicer(true, 0, 0), NewStreamSplicer(false, 0, 0)} {
			if v, _ := spliceWith(t, sp, changed); v.ETag == want {
				t.Fatalf("case %d: a byte changed in segment %d (piece %v), ETag the same", i, k, changed[k].piece)
			}
		}
	}
}
