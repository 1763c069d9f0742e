package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// quietHealth is a health without an engine: this test needs only the
// Fiber shell (no figure is asked).
type quietHealth struct{}

func (quietHealth) Ping(context.Context) error { return nil }
func (quietHealth) EngineVersion() string      { return "none" }
func (quietHealth) EngineKind() string         { return "none" }

// TestRequestStringsOutliveHandler: a string a handler reads and keeps
// (the data desk keeps a confirmed batch's ID for its load) is still what
// it was after the next request on the same keep-alive connection. With
// Fiber's default, it was a view of the connection's buffer and became the
// next request's bytes: a CI run's load panicked on a batch ID that no
// longer named a batch. The same connection is used on purpose: fasthttp
// reuses its buffer for the connection's next request.
func TestRequestStringsOutliveHandler(t *testing.T) {
	a, err := New(Config{Version: "test"}, Deps{Health: quietHealth{}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		kept []string
	)
	keep := func(c *fiber.Ctx) error {
		mu.Lock()
		defer mu.Unlock()
		kept = append(kept, c.Params("id"), c.Query("kind"), c.Get("X-Batch"))
		return c.SendStatus(fiber.StatusNoContent)
	}
	// A fresh Fiber app with the dashboard's own configuration: the route
	// is the test's, the settings are the product's.
	f := fiber.New(a.fiber.Config())
	f.Get("/keep/:id", keep)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	defer f.Shutdown()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Minute)) // a hang guard, not a speed check
	r := bufio.NewReader(conn)
	for _, v := range []string{"AAAAAAAA", "BBBBBBBB"} {
		fmt.Fprintf(conn, "GET /keep/%s?kind=%s HTTP/1.1\r\nHost: x\r\nX-Batch: %s\r\n\r\n", v, v, v)
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != fiber.StatusNoContent {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "BBBBBBBB", "BBBBBBBB", "BBBBBBBB"}
	if fmt.Sprint(kept) != fmt.Sprint(want) {
		t.Errorf("values kept from two requests on one connection: %q, want %q", kept, want)
	}
}
