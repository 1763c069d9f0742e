package dashboard_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/antq-atlas/antq/dashboard"
)

// TestMapBytes holds /api/v1/map.geojson, spliced from compressed
// openings and written by hand, to the bytes encoding/json writes of the
// FeatureCollection value, gzip-compressed or not (decompressed from the
// cache, or kept as written when computed for that request), with one
// ETag.
func TestMapBytes(t *testing.T) {
	f := newFixture(t, true)
	// The same store served with the response cache off: a client without
	// gzip then gets the plain body made alone (geo.PlainOnly).
	offApp, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, CacheBytes: -1},
		dashboard.Deps{Health: f.store, Reader: f.store, Geo: f.geo, Synthetic: true})
	if err != nil {
		t.Fatal(err)
	}
	off := *f
	off.app = offApp
	// The same served over TCP, as deployed: a streamed map is written on
	// the connection in place (gzbody.Parts.ConnReader).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go offApp.Serve(ln)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		offApp.Shutdown(sctx)
	})
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	tests := []struct{ name, query string }{
		{"province low", "province=08&metric=sites&period=2025&simplify=low"},
		{"province medium", "province=08&metric=sites&period=2025"},
		{"province compare", "province=08&metric=resolution_rate&period=2025&compare=prev"},
		{"province effectiveness", "province=08&metric=effectiveness&period=2025&compare=2024&simplify=low"},
		{"province delta incidents", "province=08&metric=incidents&period=2025&compare=prev&simplify=full"},
		{"province month", "province=08&metric=incidents&period=cal2025-08&simplify=low"},
		{"national", "province=all&metric=sites&period=2025"},
		{"national compare", "province=all&metric=share_good&period=2025&compare=prev"},
		{"another province", "province=01&metric=sites&period=2025&simplify=low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			want, err := dashboard.MapReference(ctx, f.app, q)
			if err != nil {
				t.Fatal(err)
			}
			gz := f.get(t, "/api/v1/map.geojson?"+tt.query, "Accept-Encoding", "gzip")
			plain := f.get(t, "/api/v1/map.geojson?"+tt.query)
			if gz.status != http.StatusOK || plain.status != http.StatusOK {
				t.Fatalf("status %d, %d: %s", gz.status, plain.status, plain.body)
			}
			if gz.header.Get("Content-Encoding") != "gzip" || plain.header.Get("Content-Encoding") != "" {
				t.Errorf("Content-Encoding %q, %q", gz.header.Get("Content-Encoding"), plain.header.Get("Content-Encoding"))
			}
			if !bytes.Equal(gz.body, want) {
				t.Errorf("gzip body: %s", firstByteDiff(want, gz.body))
			}
			if !bytes.Equal(plain.body, want) {
				t.Errorf("plain body: %s", firstByteDiff(want, plain.body))
			}
			if e := gz.header.Get("ETag"); e == "" || e != plain.header.Get("ETag") {
				t.Errorf("ETag %q, %q", e, plain.header.Get("ETag"))
			}
			// The plain body, decompressed once, is kept beside the member
			// (counted in the cache's bytes) and served as it is after.
			if _, held := dashboard.CacheStats(f.app); held < int64(len(want)) {
				t.Errorf("the cache holds %d bytes after a request without gzip: the %d-byte plain body not kept", held, len(want))
			}
			if again := f.get(t, "/api/v1/map.geojson?"+tt.query); !bytes.Equal(again.body, want) || again.header.Get("ETag") != gz.header.Get("ETag") {
				t.Errorf("plain body kept: ETag %q, %s", again.header.Get("ETag"), firstByteDiff(want, again.body))
			}
			// Computed for a client without gzip (the cache emptied): the
			// body kept as it was written, not decompressed, is the same.
			f.app.Invalidate()
			cold := f.get(t, "/api/v1/map.geojson?"+tt.query)
			if cold.status != http.StatusOK || cold.header.Get("Content-Encoding") != "" {
				t.Fatalf("cold plain: status %d, Content-Encoding %q", cold.status, cold.header.Get("Content-Encoding"))
			}
			if !bytes.Equal(cold.body, want) {
				t.Errorf("cold plain body: %s", firstByteDiff(want, cold.body))
			}
			if e := cold.header.Get("ETag"); e != gz.header.Get("ETag") {
				t.Errorf("cold plain ETag %q, want %q", e, gz.header.Get("ETag"))
			}
			if _, held := dashboard.CacheStats(f.app); held < int64(len(want)) {
				t.Errorf("the cache holds %d bytes after a cold request without gzip: the %d-byte plain body not kept", held, len(want))
			}
			// The response it left in the cache serves gzip the same.
			if again := f.get(t, "/api/v1/map.geojson?"+tt.query, "Accept-Encoding", "gzip"); !bytes.Equal(again.body, want) {
				t.Errorf("gzip after a cold plain request: %s", firstByteDiff(want, again.body))
			}
			// Cache off: streamed from the parts, plain and gzip, one ETag.
			for _, enc := range []string{"identity", "gzip", "identity"} {
				r := off.get(t, "/api/v1/map.geojson?"+tt.query, "Accept-Encoding", enc)
				wantEnc := ""
				if enc == "gzip" {
					wantEnc = "gzip"
				}
				if r.status != http.StatusOK || r.header.Get("Content-Encoding") != wantEnc {
					t.Fatalf("cache off, %s: status %d, Content-Encoding %q", enc, r.status, r.header.Get("Content-Encoding"))
				}
				if !bytes.Equal(r.body, want) {
					t.Errorf("cache off, %s: %s", enc, firstByteDiff(want, r.body))
				}
				if e := r.header.Get("ETag"); e != gz.header.Get("ETag") {
					t.Errorf("cache off, %s: ETag %q, want %q", enc, e, gz.header.Get("ETag"))
				}
				// Over TCP, two requests on one kept-alive connection.
				for range 2 {
					req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/api/v1/map.geojson?"+tt.query, nil)
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Accept-Encoding", enc)
					resp, err := client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					body, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != wantEnc || resp.ContentLength != int64(len(body)) {
						t.Fatalf("cache off over TCP, %s: %v, status %d, Content-Encoding %q, length %d of %d", enc, err, resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body), resp.ContentLength)
					}
					if enc == "gzip" {
						if body, err = gunzip(body); err != nil {
							t.Fatal(err)
						}
					}
					if !bytes.Equal(body, want) {
						t.Errorf("cache off over TCP, %s: %s", enc, firstByteDiff(want, body))
					}
					if e := resp.Header.Get("ETag"); e != gz.header.Get("ETag") {
						t.Errorf("cache off over TCP, %s: ETag %q, want %q", enc, e, gz.header.Get("ETag"))
					}
				}
			}
		})
	}
}

func firstByteDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(0, i-40)
	return string(got[lo:min(len(got), i+40)]) + " / want " + string(want[lo:min(len(want), i+40)])
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
