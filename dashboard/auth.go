package dashboard

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/charts"

	"github.com/gofiber/fiber/v2"
)

// Auth configures access control (Config.Auth). A nil Config.Auth is the
// open mode of tests: every request is allowed and unscoped. `antq serve`
// always sets it; --public is Auth.Public, not a nil Auth.
type Auth struct {
	// Users signs people and tokens in (*access.Store implements it).
	Users Users
	// Public lets anonymous visitors read as viewers of every province
	// (public figures: maps, charts, summaries, exports; no commune detail
	// or site lists). Off by default.
	Public bool
	// SessionTTL is a session's life from sign-in; default 12h.
	SessionTTL time.Duration
}

// Users is the users file as the server needs it.
type Users interface {
	access.Verifier // tokens and sessions
	Authenticate(name, password string) (access.Principal, error)
	Count() int
	List() []access.User
}

// sessionCookie names the page's session cookie. Its value is 32 random
// bytes; the server keeps only their SHA-256 (in memory: a restart signs
// everyone out, which is acceptable for a dashboard and needs no key).
const sessionCookie = "antq_session"

// localsPrincipal holds the principal in fiber's locals for the request log.
const localsPrincipal = "antq.principal"

// authenticate finds the request's principal (access.Gate): an API token
// (Authorization: Bearer), the session cookie, a signed embed link (its
// chart and map data only), else the anonymous viewer of a public server.
// It rejects a bad token (401) but lets anonymous requests through:
// authorize decides.
func (a *App) authenticate(c *fiber.Ctx) error {
	if a.cfg.Auth == nil {
		return c.Next()
	}
	cr := access.Credentials{Authorization: c.Get(fiber.HeaderAuthorization), Session: c.Cookies(sessionCookie), EmbedCharts: embedCharts(c)}
	if cr.EmbedCharts != nil {
		cr.Query = string(c.Request().URI().QueryString())
	}
	g := access.Gate{Users: a.cfg.Auth.Users, Sessions: a.sess, EmbedKeys: a.pages().keys, Public: a.cfg.Auth.Public}
	pr, ok, err := g.Principal(cr, time.Now())
	if err != nil {
		return err
	}
	if ok {
		c.SetUserContext(access.WithPrincipal(c.UserContext(), pr))
		c.Locals(localsPrincipal, pr)
	}
	return c.Next()
}

// embedCharts names the charts whose signed embed link may admit a
// request: a GET or HEAD of /charts/{name}.{ext}, or of the map GeoJSON
// that map and delta embeds load (/embed/{name} checks its own link).
func embedCharts(c *fiber.Ctx) []string {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return nil
	}
	var names []string
	path := c.Path()
	if rest, ok := strings.CutPrefix(path, "/charts/"); ok {
		if name, _, ok := strings.Cut(rest, "."); ok {
			names = []string{name}
		}
	} else if path == "/api/v1/map.geojson" {
		names = []string{"map", "delta"}
	}
	return slices.DeleteFunc(names, func(n string) bool { return !charts.IsName(n) })
}

// authorize applies the route's access level (routeAccess, routes.go) and
// the province guard to every request.
func (a *App) authorize(c *fiber.Ctx) error {
	if a.cfg.Auth == nil {
		return c.Next()
	}
	need := accessFor(c.Path())
	if need == accessPublic {
		return c.Next()
	}
	pr, ok := access.PrincipalOf(c.UserContext())
	if !ok {
		return access.ErrNoPrincipal
	}
	if !pr.Role.Includes(access.Role(need)) {
		return access.ErrForbiddenRole(access.Role(need))
	}
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return analytics.Errorf(analytics.CodeInvalid, "chuỗi truy vấn không hợp lệ / malformed query string")
	}
	if err := access.GuardParams(a.deps.Geo, pr, q); err != nil {
		return err
	}
	return c.Next()
}

type loginBody struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// sessionOf says who pr is (nobody when !ok) and how access is
// controlled: "off" (Config.Auth nil), "public" or "on".
func (a *App) sessionOf(pr access.Principal, ok bool) access.SessionInfo {
	mode := "on"
	switch {
	case a.cfg.Auth == nil:
		mode = "off"
	case a.cfg.Auth.Public:
		mode = "public"
	}
	return access.InfoOf(mode, pr, ok)
}

// login: POST /api/v1/login with {"user","password"} (JSON or a form).
// Success sets the session cookie and answers the session; failure is 401
// whatever went wrong, and both go to the audit log. Attempts are limited
// per client (App.loginLimit, in front of it in routes.go).
func (a *App) login(c *fiber.Ctx) error {
	if a.cfg.Auth == nil {
		return fiber.NewError(fiber.StatusNotFound, "đăng nhập không bật / sign-in is off")
	}
	client := a.clientIP(c)
	var in loginBody
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return analytics.Errorf(analytics.CodeInvalid, "thân yêu cầu phải là {\"user\",\"password\"} / body must be {\"user\",\"password\"}")
		}
	} else {
		in.User, in.Password = strings.Clone(c.FormValue("user")), strings.Clone(c.FormValue("password"))
	}
	if in.User == "" || in.Password == "" || len(in.User) > 64 || len(in.Password) > 1024 {
		return analytics.Errorf(analytics.CodeInvalid, "cần user và password / user and password are required")
	}
	pr, err := a.cfg.Auth.Users.Authenticate(in.User, in.Password)
	if err != nil {
		a.audit(access.Event{Event: "login_failed", User: in.User, Client: client, Status: fiber.StatusUnauthorized})
		return analytics.Errorf(analytics.CodeUnauthenticated, "sai tên đăng nhập hoặc mật khẩu / wrong user name or password")
	}
	if old := c.Cookies(sessionCookie); old != "" {
		a.sess.Drop(old) // a new session id at every sign-in (no fixation)
	}
	id := a.sess.Create(pr, time.Now())
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: id, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: a.isTLS(c), MaxAge: int(a.sess.TTL().Seconds())})
	pr.Via = "session"
	a.audit(access.Event{Event: "login", User: pr.Name, Via: "password", Client: client, Status: fiber.StatusOK})
	c.Set(fiber.HeaderCacheControl, "no-store")
	sb := a.sessionOf(pr, true)
	sb.CSRF = access.CSRFToken(id)
	return c.JSON(sb)
}

// logout: POST /api/v1/logout ends the session and clears the cookie.
func (a *App) logout(c *fiber.Ctx) error {
	if a.cfg.Auth == nil {
		return fiber.NewError(fiber.StatusNotFound, "đăng nhập không bật / sign-in is off")
	}
	if sid := c.Cookies(sessionCookie); sid != "" {
		if s, ok := a.sess.Lookup(sid, time.Now()); ok {
			a.audit(access.Event{Event: "logout", User: s.User, Via: "session", Client: a.clientIP(c)})
		}
		a.sess.Drop(sid)
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: a.isTLS(c), MaxAge: -1, Expires: time.Unix(1, 0)})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(a.sessionOf(access.Principal{}, false))
}

// sessionInfo: GET /api/v1/session says who the request is (the page
// shows the sign-in form when user is empty and auth is "on").
func (a *App) sessionInfo(c *fiber.Ctx) error {
	pr, ok := access.PrincipalOf(c.UserContext())
	c.Set(fiber.HeaderCacheControl, "no-store")
	sb := a.sessionOf(pr, ok)
	if ok && pr.Via == "session" {
		sb.CSRF = access.CSRFToken(c.Cookies(sessionCookie))
	}
	return c.JSON(sb)
}

// adminUsers: GET /api/v1/admin/users lists the users (no secrets).
func (a *App) adminUsers(c *fiber.Ctx) error {
	if a.cfg.Auth == nil {
		return fiber.NewError(fiber.StatusNotFound, "đăng nhập không bật / sign-in is off")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"users": a.cfg.Auth.Users.List()})
}

// audit records an event when an audit log is configured; a failure to
// write it is logged, never shown to the client.
func (a *App) audit(e access.Event) {
	if a.cfg.Audit == nil {
		return
	}
	if err := a.cfg.Audit.Record(e); err != nil {
		a.cfg.Logger.Error("audit log write failed", "err", err, "event", e.Event)
	}
}
