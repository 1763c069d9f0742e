package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"unicode/utf8"
)

// Fingerprint reads the file at path whole: the hex SHA-256 of its bytes
// (the ingest's batch tokens derive from it) and, when detect is set, its
// encoding told from all of its bytes (DetectEncoding looks at a sample):
// UTF-8 when they are valid UTF-8 or start with a byte order mark, else
// Windows-1258. Without detect the encoding is EncodingUTF8.
func Fingerprint(path string, detect bool) (sha string, enc Encoding, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	h := sha256.New()
	valid := true
	first := true
	hasBOM := false
	// A rune cut by a read's end (at most 3 bytes, carry) is moved to the
	// buffer's start and the next read lands after it: one buffer for the
	// whole file, no copy of each block.
	const block = 1 << 20
	buf := make([]byte, utf8.UTFMax+block)
	carry := 0
	for {
		n, err := f.Read(buf[carry : carry+block])
		if n > 0 {
			if first {
				hasBOM, first = bytes.HasPrefix(buf[:n], []byte(BOM)), false
			}
			h.Write(buf[carry : carry+n])
			if detect && valid {
				data := buf[:carry+n]
				cut := fullRunes(data)
				valid = utf8.Valid(data[:cut])
				carry = copy(buf, data[cut:])
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
	}
	if carry > 0 {
		valid = false
	}
	enc = EncodingUTF8
	// A byte order mark says UTF-8 whatever follows (a stray invalid byte
	// then reads as U+FFFD instead of turning the whole file to 1258).
	if detect && !valid && !hasBOM {
		enc = EncodingWindows1258
	}
	return hex.EncodeToString(h.Sum(nil)), enc, nil
}
