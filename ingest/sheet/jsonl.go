package sheet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/antq-atlas/antq/ingest/value"
)

// ReadJSONL reads JSON Lines: one object per line, whose keys are the
// headers. Strings, numbers and booleans are read as their text, null as
// empty, nested arrays and objects as their JSON. A line that is not an
// object is passed with Row.Err set. Consecutive lines with the same keys
// in the same order share one Header slice. A UTF-16 or UTF-32 byte order
// mark is read. The default Limits apply.
func ReadJSONL(ctx context.Context, r io.Reader, name string, fn func(*Row) error) error {
	return readJSONL(ctx, r, name, Limits{}.withDefaults(), fn)
}

func readJSONL(ctx context.Context, r io.Reader, name string, lim Limits, fn func(*Row) error) error {
	r, _ = unicodeBOM(r)
	br := bufio.NewReaderSize(r, 256<<10)
	row := Row{File: name}
	var keys []string
	var line []byte
	for n := 1; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if n > lim.MaxRows {
			if _, err := br.Peek(1); err == nil {
				return located(errRows(lim.MaxRows), name, "", 0)
			}
		}
		b, err := br.ReadSlice('\n')
		line = append(line[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(line) > lim.MaxLine {
				return located(errLine(lim.MaxLine), name, "", n)
			}
			b, err = br.ReadSlice('\n')
			line = append(line, b...)
		}
		if len(line) > lim.MaxLine && len(trimEOL(line)) > lim.MaxLine {
			return located(errLine(lim.MaxLine), name, "", n)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s line %d: %w", name, n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte(BOM))
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			row.Num, row.Err = n, nil
			keys = keys[:0]
			var vals []string
			keys, vals, row.Err = jsonObject(t, keys)
			if row.Err == nil {
				for i, v := range vals {
					if len(v) > lim.MaxCell {
						e := errCell(lim.MaxCell)
						e.Column = keys[i]
						return located(e, name, "", n)
					}
				}
				if !slices.Equal(keys, row.Header) {
					row.Header = slices.Clone(keys)
				}
			}
			row.Values = vals
			if row.Err != nil {
				row.Values = []string{string(t)}
				row.Header = []string{"json"}
			}
			if err := fn(&row); err != nil {
				return err
			}
		}
		if err != nil {
			return nil
		}
	}
}

// jsonObject reads one JSON object, keeping its keys in order.
func jsonObject(b []byte, keys []string) ([]string, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return keys, nil, fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return keys, nil, errors.New("not a JSON object")
	}
	var vals []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys, nil, fmt.Errorf("not JSON: %w", err)
		}
		k, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return keys, nil, fmt.Errorf("not JSON: %w", err)
		}
		v, err := jsonValue(raw)
		if err != nil {
			return keys, nil, fmt.Errorf("key %q: %w", k, err)
		}
		keys = append(keys, value.Clean(k))
		vals = append(vals, v)
	}
	if _, err := dec.Token(); err != nil {
		return keys, nil, fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return keys, nil, errors.New("more than one JSON value on the line")
	}
	return keys, vals, nil
}

func jsonValue(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0, string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case string(raw) == "true", string(raw) == "false":
		return string(raw), nil
	}
	return string(raw), nil // a number as written, or nested JSON
}
