package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/record"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// RejectsPath is where the rejected rows of the input at path go.
func RejectsPath(path string) string { return path + ".rejects.csv" }

// rejectsHeader are the columns a rejects file starts with; the row's
// original values follow under their own headers.
var rejectsHeader = []string{"file", "sheet", "row", "field", "reason"}

// rejectsHeaderVI are the same columns in Vietnamese.
var rejectsHeaderVI = []string{"tệp", "trang", "dòng", "cột", "lý do"}

// rejects writes rejected rows to <input>.rejects.csv, UTF-8 with a byte
// order mark so that Excel shows Vietnamese. The file is created at the
// first reject; a clean run leaves none.
type rejects struct {
	lang   string                                             // of the reasons and the field names: LangVI unless LangEN
	dry    bool                                               // a preview: nothing is written, the first rejects are kept
	kept   func(analytics.Kind, *sheet.Row, []record.Problem) // a preview's keeper of rejects
	path   string
	f      *os.File
	bw     *bufio.Writer
	w      *csv.Writer
	header []string
	n      int
}

// reset removes the rejects of an earlier run.
func (r *rejects) reset() error {
	if r.dry {
		return nil
	}
	if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove old rejects: %w", err)
	}
	return nil
}

func (r *rejects) add(kind analytics.Kind, row *sheet.Row, probs []record.Problem) error {
	if r.dry {
		r.n++
		if r.kept != nil {
			r.kept(kind, row, probs)
		}
		return nil
	}
	if r.w == nil {
		f, err := os.Create(r.path)
		if err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
		r.f, r.bw = f, bufio.NewWriter(f)
		r.bw.WriteString(sheet.BOM)
		r.w = csv.NewWriter(r.bw)
	}
	// Each table's rejects come under its own header line.
	if r.n == 0 || !slices.Equal(r.header, row.Header) {
		r.header = slices.Clone(row.Header)
		head := rejectsHeader
		if r.lang != LangEN {
			head = rejectsHeaderVI
		}
		if err := r.w.Write(analytics.SafeRow(append(slices.Clone(head), row.Header...))); err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	var fields, reasons []string
	for _, p := range probs {
		if f := record.FieldIn(p.Field, kind, analytics.Lang(r.lang)); f != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
		reasons = append(reasons, record.ReasonIn(p.Reason, analytics.Lang(r.lang)))
	}
	rec := append([]string{row.File, row.Sheet, strconv.Itoa(row.Num), strings.Join(fields, "; "), strings.Join(reasons, "; ")}, row.Values...)
	if err := r.w.Write(analytics.SafeRow(rec)); err != nil { // text that reads as a formula gets a ' (analytics.SafeCell)
		return fmt.Errorf("write rejects: %w", err)
	}
	r.n++
	return nil
}

func (r *rejects) close() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	err := errors.Join(r.w.Error(), r.bw.Flush(), r.f.Close())
	r.w = nil
	if err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}
