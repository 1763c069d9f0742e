package desk

import (
	"context"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Status is where a batch of the desk stands.
type Status string

// Statuses of a batch.
const (
	StatusPreview   Status = "preview"   // files kept, preview shown, waiting for the user to confirm
	StatusQueued    Status = "queued"    // confirmed, waiting for the load before it
	StatusRunning   Status = "running"   // being loaded
	StatusDone      Status = "done"      // loaded (rows may have been rejected)
	StatusFailed    Status = "failed"    // the load stopped: a failure, or the server stopped during it
	StatusCancelled Status = "cancelled" // the preview was cancelled: nothing loaded
	StatusUndone    Status = "undone"    // loaded, then undone
)

// terminal reports whether nothing more happens to a batch by itself.
func (s Status) terminal() bool {
	return s == StatusDone || s == StatusFailed || s == StatusCancelled || s == StatusUndone
}

// Request is one load (or preview) as the Loader runs it.
type Request struct {
	ID       string   // the batch ID the rows carry
	Files    []string // paths of the kept files
	Kind     analytics.Kind
	Province string // the files' province (name or code), over their title blocks
	District string
	Actor    string
	// Provinces, when not nil, are the only provinces whose rows may load
	// (an editor's grants); rows of another are rejected with that reason.
	Provinces []analytics.ProvinceCode
}

// Loader runs the ingest for the desk; cmd/antq implements it with the
// ingest package and the store (the dashboard does not import them).
type Loader interface {
	// Preview is the dry run: nothing is written.
	Preview(ctx context.Context, r Request) (Preview, error)
	// Load loads the files as one batch with ID r.ID, telling progress the
	// rows read so far of each file (by path). The rejects of a file go
	// beside it (<file>.rejects.csv).
	Load(ctx context.Context, r Request, progress func(path string, rows int)) (Summary, error)
	// Discard takes back whatever an interrupted load of r wrote (the server
	// stopped during it), so that loading the files again counts exactly.
	Discard(ctx context.Context, r Request) error
	// Undo removes the rows batch id loaded and rebuilds the figures.
	Undo(ctx context.Context, id, actor string) (analytics.UndoResult, error)
	// Batches is the store's batch log (also the command line's batches).
	Batches(ctx context.Context) ([]analytics.IngestBatch, error)
	// Template is the template of a kind: its file name and bytes (XLSX).
	Template(kind analytics.Kind) (name string, body []byte, err error)
}

// Counts are rows by outcome: read = loaded + rejected + duplicates + skipped.
type Counts = analytics.BatchCounts

// Preview is what loading the files would do.
type Preview struct {
	Files  []FilePreview `json:"files"`
	Counts Counts        `json:"counts"`
}

// FilePreview is one file's preview.
type FilePreview struct {
	Name   string         `json:"name"`
	Path   string         `json:"-"`
	Error  string         `json:"error,omitempty"`
	Tables []TablePreview `json:"tables"`
}

// Rows is the rows the file's tables read.
func (f FilePreview) Rows() int {
	n := 0
	for _, t := range f.Tables {
		n += t.Counts.Read
	}
	return n
}

// TablePreview is one table (sheet) of a file.
type TablePreview struct {
	Sheet      string          `json:"sheet,omitempty"`
	Kind       analytics.Kind  `json:"kind"`
	KindName   string          `json:"kind_name"`
	HeaderRows []int           `json:"header_rows"`
	Columns    []ColumnPreview `json:"columns"`
	Context    string          `json:"context"`
	Counts     Counts          `json:"counts"`
	Records    []RecordPreview `json:"records"`
	Rejects    []RejectPreview `json:"rejects"`
	Skips      []SkipPreview   `json:"skips"`
}

// ColumnPreview is a column and the field it maps to ("" kept as extra).
type ColumnPreview struct {
	Header string `json:"header"`
	Field  string `json:"field"`
}

// RecordPreview is a record as it would be stored.
type RecordPreview struct {
	Row         int     `json:"row"`
	Text        string  `json:"text"`
	Date        string  `json:"date,omitempty"` // dd/mm/yyyy
	Commune     string  `json:"commune"`
	CommuneName string  `json:"commune_name"`
	Rule        string  `json:"rule"`
	Confidence  float64 `json:"confidence"`
	SourcePlace string  `json:"source_place"`
}

// RejectPreview is a row that would be rejected.
type RejectPreview struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// SkipPreview is a row that is not a record.
type SkipPreview struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Summary is what a load did.
type Summary struct {
	Counts    Counts            `json:"counts"`
	Kinds     map[string]Counts `json:"kinds"`     // by kind
	Provinces map[string]Counts `json:"provinces"` // by province code ("" rows rejected before their place was known)
	Files     []FileResult      `json:"files"`
	Text      string            `json:"text"` // the summary as `antq ingest` prints it, in Vietnamese
}

// FileResult is one file's outcome.
type FileResult struct {
	Name    string `json:"name"`
	Path    string `json:"-"`
	SHA256  string `json:"sha256"`
	Counts  Counts `json:"counts"`
	Rejects string `json:"-"` // the rejects file, when rows were rejected
	Error   string `json:"error,omitempty"`
	Warning string `json:"warning,omitempty"`
}

// File is one kept file of a batch.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// FileProgress is one file's progress.
type FileProgress struct {
	Name  string `json:"name"`
	Rows  int    `json:"rows"`
	Total int    `json:"total"`
}

// Progress is a load's progress: rows read of the rows the preview found.
type Progress struct {
	Files   []FileProgress `json:"files"`
	Rows    int            `json:"rows"`
	Total   int            `json:"total"`
	Percent int            `json:"percent"` // 0–100; 100 only when the load is over
}

// Batch is one upload: its files, what was asked, where it stands, its
// preview, progress and summary. Batches loaded by `antq ingest` appear too
// (Source "cli"), from the store's batch log.
type Batch struct {
	ID        string                   `json:"id"`
	Source    string                   `json:"source"` // web or cli
	At        time.Time                `json:"at"`
	Actor     string                   `json:"actor"`
	Files     []File                   `json:"files"`
	Kind      analytics.Kind           `json:"kind,omitempty"`
	Province  string                   `json:"province,omitempty"`
	District  string                   `json:"district,omitempty"`
	Grants    []analytics.ProvinceCode `json:"grants,omitempty"` // nil: every province
	AllGrants bool                     `json:"all_grants"`
	Status    Status                   `json:"status"`
	Message   string                   `json:"message,omitempty"` // why it failed, in Vietnamese then English
	Progress  Progress                 `json:"progress"`
	Preview   *Preview                 `json:"preview,omitempty"`
	Summary   *Summary                 `json:"summary,omitempty"`
	Counts    Counts                   `json:"counts"`
	Kinds     []analytics.Kind         `json:"kinds"`
	Loaded    []analytics.ProvinceCode `json:"provinces"` // provinces of the rows loaded
	Finished  time.Time                `json:"finished,omitzero"`
	Undone    time.Time                `json:"undone,omitzero"`
	UndoneBy  string                   `json:"undone_by,omitempty"`
}

// Scope is who asks: an editor sees and undoes only batches of their
// provinces, and loads only rows of them.
type Scope struct {
	User      string
	All       bool                     // every province
	Provinces []analytics.ProvinceCode // granted, when not All
}

// Can reports whether s may load rows of province p, or name it as an
// upload's province.
func (s Scope) Can(p analytics.ProvinceCode) bool {
	if s.All {
		return true
	}
	for _, q := range s.Provinces {
		if q == p {
			return true
		}
	}
	return false
}

// sees reports whether s may see batch b: every province it loaded is
// granted; a batch that loaded nothing is seen by its uploader (and by
// those granted every province).
func (s Scope) sees(b *Batch) bool {
	if s.All {
		return true
	}
	if len(b.Loaded) == 0 {
		return b.Source == "web" && b.Actor == s.User
	}
	for _, p := range b.Loaded {
		if !s.Can(p) {
			return false
		}
	}
	return true
}
