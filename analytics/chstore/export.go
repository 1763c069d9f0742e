package chstore

import (
	"context"
	"fmt"

	"github.com/antq-atlas/antq/analytics"
)

// exportColumns are the columns ExportRows gives per kind, in order, and
// exportQuery its query.
var (
	exportColumns = map[analytics.Kind][]string{
		analytics.KindSites:     {"province_code", "commune_code", "opened", "retired"},
		analytics.KindIncidents: {"province_code", "commune_code", "received", "closed", "outcome", "tip", "tip_useful"},
	}
	exportQuery = map[analytics.Kind]func() string{
		analytics.KindSites:     func() string { return sqlText("export_sites") },
		analytics.KindIncidents: func() string { return sqlText("export_incidents") },
	}
)

// ExportColumns names the columns ExportRows gives for kind (nil: the kind
// cannot be exported).
func ExportColumns(kind analytics.Kind) []string { return exportColumns[kind] }

// ExportRows calls each with every stored row of kind (sites or incidents)
// as the figures read it (FINAL: the newest version of each key), restated
// to its 2025 commune, in province p ("" = all): the columns of
// ExportColumns as text, dates as YYYY-MM-DD and "" for none. The slice is
// reused between calls. For loading the same rows into a peer system.
func (s *Store) ExportRows(ctx context.Context, kind analytics.Kind, p analytics.ProvinceCode, each func(row []string) error) error {
	cols, ok := exportColumns[kind]
	if !ok {
		return analytics.Errorf(analytics.CodeInvalid, "export: kind %q cannot be exported (sites, incidents)", kind)
	}
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p)))
	defer cancel()
	rows, err := s.conn.Query(qctx, exportQuery[kind]())
	if err != nil {
		return classify(fmt.Errorf("export %s: %w", kind, err))
	}
	defer rows.Close()
	row := make([]string, len(cols))
	dest := make([]any, len(cols))
	for i := range row {
		dest[i] = &row[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return classify(fmt.Errorf("export %s: %w", kind, err))
		}
		if err := each(row); err != nil {
			return err
		}
	}
	return classify(rows.Err())
}
