package analytics

import "context"

// Batch is one unit of loading: records of one or more kinds, with a token
// that makes a retried batch a no-op.
type Batch struct {
	Token     string // unique per (file content, batch number)
	BatchID   string // the ingest run (IngestBatch) the records belong to; may be empty
	Models    []Model
	Sites     []Site
	Grades    []Grade
	Incidents []Incident
}

// Len returns the number of records in the batch.
func (b *Batch) Len() int {
	return len(b.Models) + len(b.Sites) + len(b.Grades) + len(b.Incidents)
}

// Writer loads records. The ClickHouse store implements it.
type Writer interface {
	// Known returns, for those of keys already loaded for kind, the content
	// hash stored with each. A key with the same hash is a duplicate; with a
	// different hash, a correction that replaces the stored record.
	Known(ctx context.Context, kind Kind, keys []string) (map[string]uint64, error)
	// Write loads one batch.
	Write(ctx context.Context, b Batch) error
	// Commit ends a load: derived tables are refreshed for the provinces
	// touched and readers see the new figures.
	Commit(ctx context.Context, provinces []ProvinceCode) error
}

// ProvinceLister is what a Writer may also do: tell the provinces that hold
// at least one record of a kind. The ingest then skips key look-ups for the
// records of a file whose province held none of that kind when the file
// began: such a record can only meet the file's own records, whose keys
// the ingest checks in memory.
type ProvinceLister interface {
	Provinces(ctx context.Context, kind Kind) (map[ProvinceCode]bool, error)
}

// Health reports whether the store can answer.
type Health interface {
	Ping(ctx context.Context) error
	// EngineVersion is the ClickHouse version, e.g. "26.7.3.1".
	EngineVersion() string
	// EngineKind is "embedded" or "server".
	EngineKind() string
}
