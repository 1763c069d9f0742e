package ogc

import (
	"github.com/antq-atlas/antq/dashboard/params"

	"net/url"
	"strconv"
)

// Paging rules of an items request: limit= is 1–MaxLimit (DefaultLimit
// when absent), offset= is 0–MaxOffset (0 when absent).
const (
	DefaultLimit = 1000 // a province's communes in one page, the country in four
	MaxLimit     = 10000
	MaxOffset    = 1 << 30
)

// Page is the slice of the matched features an items request asks for.
type Page struct {
	Limit, Offset int
}

// ParsePage reads limit= and offset= by the paging rules; a value out of
// range or not an integer is an error (CodeInvalid) naming the parameter,
// the value and the range.
func ParsePage(q url.Values) (Page, error) {
	var p Page
	var err error
	if p.Limit, err = params.Int(q, "limit", DefaultLimit, 1, MaxLimit); err != nil {
		return p, err
	}
	if p.Offset, err = params.Int(q, "offset", 0, 0, MaxOffset); err != nil {
		return p, err
	}
	return p, nil
}

// Bounds are the indexes [lo, hi) of the page among n matched features.
func (p Page) Bounds(n int) (lo, hi int) {
	lo = min(p.Offset, n)
	return lo, min(lo+p.Limit, n)
}

// Links are self, next and prev of an items page at base+path with query
// (next only when more features follow, prev only after the first).
func (p Page) Links(base, path string, query url.Values, matched int) []Link {
	u := func(offset int) string {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("f", "json")
		q.Set("limit", strconv.Itoa(p.Limit))
		q.Set("offset", strconv.Itoa(offset))
		return base + path + "?" + q.Encode()
	}
	links := []Link{{Href: u(p.Offset), Rel: "self", Type: ContentGeoJSON, Title: "this page"}}
	if p.Offset+p.Limit < matched {
		links = append(links, Link{Href: u(p.Offset + p.Limit), Rel: "next", Type: ContentGeoJSON, Title: "next page"})
	}
	if p.Offset > 0 {
		links = append(links, Link{Href: u(max(p.Offset-p.Limit, 0)), Rel: "prev", Type: ContentGeoJSON, Title: "previous page"})
	}
	return links
}
