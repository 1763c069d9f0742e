// Package placename reads Vietnamese place names as the provinces write
// them: Fold (lower case, no diacritics, one space between words) is the
// module's one folding, shared by the resolver and the ingest's headers and
// values; Normalize puts tone marks where the new rules put them (Hoà =
// Hòa) in NFC; Parse splits a name into its kind (xã, phường, huyện, …,
// with abbreviations such as "X.", "TT", "TP.") and its core. It depends on
// the standard library and golang.org/x/text only.
package placename

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kind is the kind of an administrative unit as written before its name:
// communes (xã, phường, thị trấn, đặc khu), districts (huyện, quận, thị xã,
// thành phố) and provinces (tỉnh, thành phố).
type Kind string

// Kinds of units. The values are the lower-case Vietnamese words.
const (
	KindNone          Kind = ""
	KindCommune       Kind = "xã"
	KindWard          Kind = "phường"
	KindTownlet       Kind = "thị trấn" // abolished at commune level in 2025
	KindSpecialZone   Kind = "đặc khu"
	KindDistrict      Kind = "huyện"
	KindUrbanDistrict Kind = "quận"
	KindTown          Kind = "thị xã"
	KindCity          Kind = "thành phố"
	KindProvince      Kind = "tỉnh"
)

// baseLetter maps a precomposed Latin letter to its ASCII base letter, case
// kept ("Ộ" -> 'O', "đ" -> 'd'); 0 means none. It covers Latin-1, Latin
// Extended-A/B and Latin Extended Additional, where every Vietnamese letter
// lives, and is built once from the Unicode decompositions. An array, not a
// map: folding is on the ingest's hot path (every header and enumerated
// value), where the lookup cost shows in profiles.
var baseLetter = func() (t [0x1F00]byte) {
	for r := rune(0xC0); r < 0x1F00; r++ {
		if r >= 0x250 && r < 0x1E00 {
			continue
		}
		b, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
		if b < utf8.RuneSelf && unicode.IsLetter(b) {
			t[r] = byte(b)
		}
	}
	t['Đ'], t['đ'] = 'D', 'd'
	t['Ð'], t['ð'] = 'D', 'd' // Windows-1252 exports of "Đ"
	return t
}()

// base returns r's ASCII base letter (case kept) when r is a precomposed
// Latin letter.
func base(r rune) (byte, bool) {
	if r >= 0xC0 && r < 0x1F00 {
		if b := baseLetter[r]; b != 0 {
			return b, true
		}
	}
	return 0, false
}

// RemoveDiacritics returns s with every diacritic removed and everything
// else kept, case included: "Xã Hùng Lợi" -> "Xa Hung Loi". It is the one
// diacritic folding of the module: Fold adds lower case and separators.
func RemoveDiacritics(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch c, ok := base(r); {
		case ok:
			b.WriteByte(c)
		case isMark(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isMark(r rune) bool { return r >= 0x0300 && r <= 0x036F }

// Fold returns s lower-cased with diacritics removed (đ -> d) and every run
// of spaces and punctuation turned into one space, trimmed: the key names
// are matched on. "Xã  Hùng-Lợi." -> "xa hung loi". Tone-mark placement
// variants (Hoà/Hòa) fold to the same key because the marks are dropped.
func Fold(s string) string {
	var buf [64]byte
	b := buf[:0]
	pending := false
	for _, r := range s {
		var c byte
		switch {
		case r < utf8.RuneSelf:
			c = byte(r)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				pending = true
				continue
			}
		case isMark(r):
			continue
		default:
			if f, ok := base(r); ok {
				c = f | 0x20 // ASCII lower case
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				if pending && len(b) > 0 {
					b = append(b, ' ')
				}
				pending = false
				b = utf8.AppendRune(b, unicode.ToLower(r))
				continue
			} else {
				pending = true
				continue
			}
		}
		if pending && len(b) > 0 {
			b = append(b, ' ')
		}
		pending = false
		b = append(b, c)
	}
	return string(b)
}

// NonASCII reports whether s has a letter outside ASCII, i.e. whether it
// was written with diacritics.
func NonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Normalize returns s in NFC, lower case, with punctuation and extra spaces
// removed and the tone mark of every syllable placed by one rule (the "new"
// placement: hoà, thuỷ, quý), so spellings that differ only by where the
// tone mark sits compare equal. Diacritics are kept: "Tân Hòa" and
// "Tân Hóa" stay different.
func Normalize(s string) string {
	// Bytes that are not UTF-8 separate words; left in, they stop NFD from
	// decomposing what follows them, and the result would change when
	// normalised again.
	s = norm.NFD.String(strings.ToValidUTF8(s, " "))
	words := make([]string, 0, 4)
	var w []rune
	flush := func() {
		if len(w) > 0 {
			words = append(words, placeTone(w))
			w = w[:0]
		}
	}
	for _, r := range s {
		switch {
		case isMark(r):
			if len(w) > 0 {
				w = append(w, r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w = append(w, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return strings.Join(words, " ")
}

// Tone marks (combining) of Vietnamese.
func isTone(r rune) bool {
	switch r {
	case 0x0300, 0x0301, 0x0303, 0x0309, 0x0323:
		return true
	}
	return false
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y':
		return true
	}
	return false
}

// hasQuality reports whether a vowel carries a quality mark (â ă ê ô ơ ư),
// which takes the tone mark in every spelling convention.
func hasQuality(r rune) bool {
	switch r {
	case 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
		return true
	}
	return false
}

// placeTone takes one decomposed, lower-cased word and returns it in NFC
// with its tone mark (if any) on the canonical vowel.
func placeTone(dec []rune) string {
	var tone rune
	base := make([]rune, 0, len(dec))
	for _, r := range dec {
		if isTone(r) {
			tone = r
			continue
		}
		base = append(base, r)
	}
	letters := []rune(norm.NFC.String(string(base)))
	if tone == 0 {
		return string(letters)
	}
	// The vowel cluster: skip the u of "qu" and the i of "gi" + vowel.
	start := 0
	for start < len(letters) && !isVowel(letters[start]) {
		start++
	}
	if start > 0 && start+1 < len(letters) && isVowel(letters[start+1]) {
		if letters[start-1] == 'q' && letters[start] == 'u' || letters[start-1] == 'g' && letters[start] == 'i' {
			start++
		}
	}
	end := start
	for end < len(letters) && isVowel(letters[end]) {
		end++
	}
	pos := -1
	switch n := end - start; {
	case n <= 0:
		pos = -1
	case n == 1:
		pos = start
	default:
		for i := end - 1; i >= start; i-- {
			if hasQuality(letters[i]) {
				pos = i
				break
			}
		}
		if pos < 0 {
			switch {
			case end < len(letters): // a final consonant: the last vowel
				pos = end - 1
			case n == 3:
				pos = start + 1
			default:
				pair := string(letters[start:end])
				if pair == "oa" || pair == "oe" || pair == "uy" {
					pos = start + 1
				} else {
					pos = start
				}
			}
		}
	}
	if pos < 0 { // no vowel: keep the mark at the end
		return norm.NFC.String(string(letters) + string(tone))
	}
	out := make([]rune, 0, len(letters)+1)
	out = append(out, letters[:pos+1]...)
	out = append(out, tone)
	out = append(out, letters[pos+1:]...)
	return norm.NFC.String(string(out))
}

// Name is a place name split into its kind and its core.
type Name struct {
	Kind   Kind   // KindNone when the name had no recognised prefix
	Core   string // folded name without the prefix: "hung loi", "1" for "Phường 01"
	Accent string // normalised core with diacritics ("hùng lợi"); equals Core when written without
	Plain  bool   // written without diacritics
}

type prefix struct {
	words []string // normalised, accented
	kind  Kind
	abbr  bool // an ASCII abbreviation, matched on the folded word
}

// prefixes, longest first. Abbreviations are accepted only as whole words
// ("X.", "TT", "TP."); the dot has been removed by then.
var prefixes = []prefix{
	{[]string{"thị", "trấn"}, KindTownlet, false},
	{[]string{"thị", "xã"}, KindTown, false},
	{[]string{"thành", "phố"}, KindCity, false},
	{[]string{"đặc", "khu"}, KindSpecialZone, false},
	{[]string{"xã"}, KindCommune, false},
	{[]string{"phường"}, KindWard, false},
	{[]string{"huyện"}, KindDistrict, false},
	{[]string{"quận"}, KindUrbanDistrict, false},
	{[]string{"tỉnh"}, KindProvince, false},
	{[]string{"tt"}, KindTownlet, true},
	{[]string{"tx"}, KindTown, true},
	{[]string{"tp"}, KindCity, true},
	{[]string{"dk"}, KindSpecialZone, true},
	{[]string{"x"}, KindCommune, true},
	{[]string{"p"}, KindWard, true},
	{[]string{"h"}, KindDistrict, true},
	{[]string{"q"}, KindUrbanDistrict, true},
	{[]string{"t"}, KindProvince, true},
}

// numbered is the kinds written glued to a number: "P1", "P.01", "Q10".
var numbered = map[string]Kind{"p": KindWard, "q": KindUrbanDistrict, "x": KindCommune}

var prefixFolded = func() [][]string {
	out := make([][]string, len(prefixes))
	for i, p := range prefixes {
		for _, w := range p.words {
			out[i] = append(out[i], Fold(w))
		}
	}
	return out
}()

// Parse splits a place name into its kind and core: "X. Trung Minh" ->
// (xã, "trung minh"); "Phường 01" and "P1" -> (phường, "1"); "TP. Hà Giang" ->
// (thành phố, "ha giang"). Prefixes written with diacritics must match with
// them ("Xà Phìn" is not "Xã Phìn"); a prefix that would leave nothing is
// not a prefix. Numbers lose their leading zeros.
func Parse(s string) Name {
	accentWords := strings.Fields(Normalize(s))
	n := Name{Plain: !NonASCII(s)}
	if len(accentWords) == 0 {
		return n
	}
	folded := make([]string, len(accentWords))
	for i, w := range accentWords {
		folded[i] = Fold(w)
	}
	skip := 0
	for i, p := range prefixes {
		k := len(p.words)
		if len(accentWords) <= k {
			continue
		}
		ok := true
		for j := 0; j < k && ok; j++ {
			w := accentWords[j]
			if p.abbr || !NonASCII(w) {
				ok = folded[j] == prefixFolded[i][j]
				if p.abbr && NonASCII(w) {
					ok = false
				}
			} else {
				ok = w == p.words[j]
			}
		}
		if ok {
			n.Kind, skip = p.kind, k
			break
		}
	}
	if n.Kind == KindNone {
		// "P1", "p01", "Q10": a kind letter glued to a number.
		w := folded[0]
		if len(w) >= 2 {
			if k, ok := numbered[w[:1]]; ok && AllDigits(w[1:]) {
				folded[0], accentWords[0] = w[1:], w[1:]
				n.Kind = k
			}
		}
	}
	folded, accentWords = folded[skip:], accentWords[skip:]
	for i, w := range folded {
		if AllDigits(w) {
			w = strings.TrimLeft(w, "0")
			if w == "" {
				w = "0"
			}
			folded[i], accentWords[i] = w, w
		}
	}
	n.Core = strings.Join(folded, " ")
	n.Accent = strings.Join(accentWords, " ")
	return n
}

func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// communeKind reports whether k is a kind of commune-level unit.
func communeKind(k Kind) bool {
	switch k {
	case KindCommune, KindWard, KindTownlet, KindSpecialZone:
		return true
	}
	return false
}
