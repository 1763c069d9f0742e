package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/cache"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/openapi"
	"github.com/antq-atlas/antq/internal/gzbody"

	"github.com/gofiber/fiber/v2"
)

// request is what an endpoint sees of an HTTP request: path parameters, the
// query and the base URL (for absolute links). *fiber.Ctx stays here.
type request struct {
	params map[string]string
	query  url.Values
	base   string // "http://host:port"
	path   string // the request path, e.g. "/ogc/collections"
	client string // who asks, for render admission (App.clientKey)
	// identity: the client does not accept gzip. An endpoint that
	// assembles its compressed form (the map) then returns the plain body
	// too (response.plain), so this request is not served by
	// decompressing what was just compressed.
	identity bool
	// stream: the response cache is off, so nothing computed is kept: the
	// map is written from its parts as it is asked for (geo.StreamPlain
	// for an identity client, else geo.StreamGzip).
	stream bool
}

// response is an endpoint's answer before compression and caching.
type response struct {
	body        []byte
	contentType string
	disposition string
	ready       *gzbody.Body // already compressed (the map): cached as it is, body unused
	plain       []byte       // with ready, for an identity request: its uncompressed body, when made
}

// endpoint computes a response from a request; it knows nothing of HTTP
// beyond that, so it is called the same way by handlers and tests.
type endpoint func(ctx context.Context, r request) (response, error)

const (
	ctJSON    = openapi.ContentJSON
	ctGeoJSON = geo.ContentType
	ctCSV     = openapi.ContentCSV
	ctXLSX    = openapi.ContentXLSX
	ctPPTX    = openapi.ContentPPTX
	ctOpenAPI = openapi.ContentType
)

// jsonResponse encodes v without HTML escaping (links keep their "&").
func jsonResponse(v any, contentType string) (response, error) {
	body, err := geo.EncodeJSON(v)
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "encode response: %w", err)
	}
	return response{body: body, contentType: contentType}, nil
}

// cachedEndpoint turns an endpoint into a handler that serves it from the
// response cache: computed and gzip-compressed once per full URL, with an
// ETag (304 on If-None-Match) and Cache-Control.
func (a *App) cachedEndpoint(ep endpoint, params ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a.svc == nil {
			return analytics.Errorf(analytics.CodeUnavailable, "chưa có dữ liệu tham chiếu hoặc kho dữ liệu / reference data or store not configured")
		}
		q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
		if err != nil {
			return analytics.Errorf(analytics.CodeInvalid, "chuỗi truy vấn không hợp lệ / malformed query string")
		}
		// Fiber's strings point into its request buffer: copy what outlives
		// the handler (the cache key, a shared computation).
		r := request{params: map[string]string{}, query: q, base: strings.Clone(c.BaseURL()), path: strings.Clone(c.Path()), client: a.clientKey(c),
			identity: !gzbody.AcceptsGzip(c.Get(fiber.HeaderAcceptEncoding))}
		r.stream = !a.cache.Keeps()
		for _, p := range params {
			v, err := url.PathUnescape(c.Params(p))
			if err != nil {
				return analytics.Errorf(analytics.CodeInvalid, "đường dẫn không hợp lệ / malformed path")
			}
			r.params[p] = strings.Clone(v)
		}
		// The principal's scope is part of the key: a response computed for
		// one set of province grants is never served to another.
		key := cache.Key(r.base, r.path, q) + access.ScopeKey(c.UserContext())
		if r.stream && r.identity { // never shared with a client that takes gzip
			key += "\x00identity"
		}
		// A computation shared by several requests must not die with the
		// first one's connection; the store's query timeout bounds it.
		ctx := context.WithoutCancel(c.UserContext())
		// fresh is the plain body when this request computed the response
		// (the computation runs on this goroutine): an identity client gets
		// it as it is instead of the compressed form decompressed.
		var fresh []byte
		v, err := a.cache.Do(c.UserContext(), key, func() (*gzbody.Body, error) {
			resp, err := ep(ctx, r)
			if err != nil {
				return nil, err
			}
			if resp.ready != nil {
				fresh = resp.plain
				return resp.ready, nil
			}
			fresh = resp.body
			return gzbody.Compress(resp.body, resp.contentType, resp.disposition)
		})
		if err != nil {
			return err
		}
		return a.send(c, v, fresh, key)
	}
}

// send writes a cached response: 304 when the client's ETag matches,
// gzip bytes when it accepts them, else plain (the body just computed, when
// given), the body kept beside it, or the decompressed body; the cache
// then keeps the plain body beside the response under key.
func (a *App) send(c *fiber.Ctx, v *gzbody.Body, plain []byte, key string) error {
	c.Set(fiber.HeaderETag, v.ETag)
	// With access control on, shared caches (proxies) must not keep what
	// one user was allowed to see.
	visibility := "public"
	if a.cfg.Auth != nil {
		visibility = "private"
	}
	c.Set(fiber.HeaderCacheControl, visibility+", max-age="+strconv.Itoa(int(a.cfg.MaxAge.Seconds()))+", must-revalidate")
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if gzbody.ETagMatches(c.Get(fiber.HeaderIfNoneMatch), v.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, v.ContentType)
	if v.Disposition != "" {
		c.Set(fiber.HeaderContentDisposition, v.Disposition)
	}
	if v.Stream != nil { // made for this kind of client (request.stream)
		if v.StreamGzip {
			c.Set(fiber.HeaderContentEncoding, "gzip")
		}
		c.Response().SetBodyStream(v.Stream.ConnReader(c.Context().Conn()), v.Stream.Len())
		return nil
	}
	if v.GZ != nil && gzbody.AcceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(v.GZ)
	}
	if plain != nil {
		a.cache.KeepPlain(key, v, plain)
		return c.Send(plain)
	}
	body := v.Kept
	if body == nil {
		var err error
		if body, err = v.Plain(); err != nil {
			return analytics.Errorf(analytics.CodeInternal, "decompress cached response: %w", err)
		}
		a.cache.KeepPlain(key, v, body)
	}
	return c.Send(body)
}
