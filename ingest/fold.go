package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTab maps a precomposed Latin letter to its lower-case ASCII base letter
// ("Ộ" -> 'o', "Đ" -> 'd'); 0 means no ASCII base. It covers Latin-1,
// Latin Extended-A/B and Latin Extended Additional, where every Vietnamese
// letter lives.
var foldTab = buildFoldTab()

func buildFoldTab() (foldTab [0x1F00]byte) {
	for r := rune(0xC0); r < 0x1F00; r++ {
		if r >= 0x250 && r < 0x1E00 {
			continue
		}
		d := norm.NFD.String(string(r))
		b, _ := utf8.DecodeRuneInString(d)
		if b < utf8.RuneSelf && unicode.IsLetter(b) {
			foldTab[r] = byte(unicode.ToLower(b))
		}
	}
	foldTab['Đ'] = 'd'
	foldTab['đ'] = 'd'
	foldTab['Ð'] = 'd' // Windows-1252 exports of "Đ"
	foldTab['ð'] = 'd'
	return foldTab
}

// fold returns s in lower case without diacritics, with every run of
// characters other than letters and digits turned into one space and no
// leading or trailing space: "Xã/Phường" -> "xa phuong", "Tọa độ" -> "toa do".
// Headers and enumerated values are compared folded.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		var c byte
		switch {
		case r < utf8.RuneSelf:
			c = byte(r)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				c = 0
			}
		case r >= 0x300 && r < 0x370: // combining marks (Windows-1258 text, NFD input)
			continue
		case r < 0x1F00:
			c = foldTab[r]
		}
		if c == 0 {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// clean trims s, collapses inner runs of white space to one space and
// normalises it to NFC, the form every stored string has. Most values are
// already clean and cost no allocation.
func clean(s string) string {
	prevSpace := true
	dirty := false
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			if c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 { // no-break space
				dirty = true
			}
			prevSpace = false
			continue
		}
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp && (prevSpace || c != ' ') {
			dirty = true
		}
		prevSpace = sp
	}
	if prevSpace && s != "" {
		dirty = true
	}
	if !ascii && mayDecompose(s) && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
		dirty = true
	}
	if !dirty {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// mayDecompose reports whether s holds a combining mark (U+0300–U+036F or
// U+1DC0–U+1DFF), the only way Vietnamese text is not in NFC; it saves the
// full check, which is slower and allocates, on text that is already
// composed.
func mayDecompose(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch c := s[i]; {
		case c == 0xCC, c == 0xCD:
			return true
		case c == 0xE1 && s[i+1] == 0xB7:
			return true
		}
	}
	return false
}
