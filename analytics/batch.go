package analytics

import (
	"context"
	"time"
)

// IngestBatch is one ingest run as the store records it ("batch" to the
// user: `antq batches`): who loaded which files when, what became of their
// rows, the context the run was given and found, and whether it was undone.
// Every record a run writes carries the run's ID, so the run can be undone.
type IngestBatch struct {
	ID        string
	At        time.Time // when the run began
	Actor     string    // user and host: "lan@may-chu"
	Files     []BatchFile
	Kinds     []Kind
	Counts    BatchCounts
	Provinces []ProvinceCode // provinces of the records loaded
	Context   string         // JSON: the context given to the run and each table's
	Undone    time.Time      // zero unless undone
	UndoneBy  string
}

// BatchFile is one file of a batch.
type BatchFile struct {
	Path   string      `json:"path"`
	SHA256 string      `json:"sha256"`
	Kinds  []Kind      `json:"kinds,omitempty"`
	Counts BatchCounts `json:"counts"`
	Err    string      `json:"error,omitempty"`
}

// BatchCounts are a batch's rows by outcome: Read = Loaded + Rejected +
// Duplicates + Skipped.
type BatchCounts struct {
	Read       int `json:"read"`
	Loaded     int `json:"loaded"`
	Rejected   int `json:"rejected"`
	Duplicates int `json:"duplicates"`
	Skipped    int `json:"skipped"`
}

// UndoResult is what undoing a batch removed.
type UndoResult struct {
	Batch     string
	Removed   map[Kind]uint64 // rows removed, by kind
	Provinces []ProvinceCode  // provinces whose figures were rebuilt
}

// BatchLog is what a Writer may also do: record ingest runs, list them and
// undo one. UndoBatch removes exactly the rows the batch wrote (a later
// batch's corrections of the same records stay), rebuilds the figures of
// the provinces it touched, tells the store's commit listeners (response
// caches), and records the undo.
type BatchLog interface {
	RecordBatch(ctx context.Context, b IngestBatch) error
	Batches(ctx context.Context) ([]IngestBatch, error)
	UndoBatch(ctx context.Context, id, actor string) (UndoResult, error)
}
