package access

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// AuditFile is the audit log's name in the data directory.
const AuditFile = "audit.jsonl"

// Event is one line of the audit log.
type Event struct {
	Time   time.Time `json:"time"`
	Event  string    `json:"event"` // login, login_failed, logout, export, ingest, user, token
	User   string    `json:"user,omitempty"`
	Via    string    `json:"via,omitempty"` // session, token, public, embed, cli
	Client string    `json:"client,omitempty"`
	Path   string    `json:"path,omitempty"` // path and query
	Status int       `json:"status,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Audit appends events to a JSON-lines file (0600). Each event is one
// write(2) on a file opened with O_APPEND, so the server and `antq user`
// can both append without interleaving lines.
type Audit struct {
	mu sync.Mutex
	f  *os.File
}

// OpenAudit opens (creating) the audit log at path.
func OpenAudit(path string) (*Audit, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &Audit{f: f}, nil
}

// Record appends e (its time set when zero). A nil Audit records nothing.
func (a *Audit) Record(e Event) error {
	if a == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err = a.f.Write(append(b, '\n'))
	return err
}

// Close closes the file.
func (a *Audit) Close() error {
	if a == nil {
		return nil
	}
	return a.f.Close()
}
