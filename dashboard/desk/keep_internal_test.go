package desk

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/antq-atlas/antq/analytics"
)

// heldLoader loads nothing: its Load waits for release, so the test can
// change the caller's strings while the load is queued or running. The
// desk is what is tested here; the loads themselves are tested with the
// real ingest and engine in cmd/antq (TestDeskAPI).
type heldLoader struct {
	release chan struct{}
	mu      sync.Mutex
	loads   []Request
}

func (l *heldLoader) Preview(_ context.Context, r Request) (Preview, error) {
	return Preview{Files: []FilePreview{{Name: "vu_viec.csv", Tables: []TablePreview{{Kind: analytics.KindIncidents, Counts: Counts{Read: 1, Loaded: 1}}}}}}, nil
}

func (l *heldLoader) Load(ctx context.Context, r Request, progress func(string, int)) (Summary, error) {
	<-l.release
	l.mu.Lock()
	l.loads = append(l.loads, r)
	l.mu.Unlock()
	return Summary{Counts: Counts{Read: 1, Loaded: 1}}, nil
}

func (l *heldLoader) Discard(context.Context, Request) error { return nil }
func (l *heldLoader) Undo(context.Context, string, string) (analytics.UndoResult, error) {
	return analytics.UndoResult{}, nil
}
func (l *heldLoader) Batches(context.Context) ([]analytics.IngestBatch, error) { return nil, nil }
func (l *heldLoader) Template(analytics.Kind) (string, []byte, error)          { return "", nil, nil }

// TestConfirmKeepsItsStrings: the ID and options a caller passes are the
// desk's own copies. A web server may hand over views of a buffer that it
// reuses for the next request; here the caller's bytes are overwritten
// while the load waits, and the load still runs batch ID's files with the
// options asked, and ends done.
func TestConfirmKeepsItsStrings(t *testing.T) {
	l := &heldLoader{release: make(chan struct{})}
	d, err := Open(context.Background(), Config{Dir: t.TempDir()}, l)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	province := []byte("08")
	u, err := d.NewUpload(Options{Kind: analytics.KindIncidents, Province: unsafe.String(&province[0], len(province)), Scope: Scope{All: true, User: "nhaplieu08"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.AddFile("vu_viec.csv", strings.NewReader("ngay,xa\n01/02/2025,Xã A\n")); err != nil {
		t.Fatal(err)
	}
	b, err := d.Submit(context.Background(), u, true)
	if err != nil {
		t.Fatal(err)
	}
	idBytes := []byte(b.ID)
	if _, err := d.Confirm(unsafe.String(&idBytes[0], len(idBytes)), Scope{All: true}); err != nil {
		t.Fatal(err)
	}
	for i := range idBytes { // the next request's bytes, in the same buffer
		idBytes[i] = 'f'
	}
	copy(province, "99")
	close(l.release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a hang guard, not a speed check
	defer cancel()
	got, err := d.Wait(ctx, b.ID, Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusDone || got.Province != "08" {
		t.Errorf("batch %s: status %s, province %q; want done, 08", got.ID, got.Status, got.Province)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.loads) != 1 || l.loads[0].ID != b.ID || l.loads[0].Province != "08" {
		t.Errorf("loads %+v, want one of batch %s in province 08", l.loads, b.ID)
	}
}
