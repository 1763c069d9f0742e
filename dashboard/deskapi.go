package dashboard

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/desk"

	"github.com/gofiber/fiber/v2"
)

// The data desk ("Nạp dữ liệu"): uploads, previews, loads with progress,
// rejects, the batch list and undo (dashboard/desk does the work; these
// handlers only read the request and answer). Editors of a province and
// admins call them; a session cookie needs the CSRF token of
// /api/v1/session in X-CSRF-Token on the routes that change something.

// deskRoutes registers the desk's routes (routes.go calls it); each answers
// 404 while the desk is off (Deps.Desk nil).
func (a *App) deskRoutes() {
	f, d := a.fiber, a.withDesk
	f.Get("/api/v1/admin/uploads", d(a.deskLimits))
	f.Post("/api/v1/admin/uploads", d(a.deskUpload))
	f.Get("/api/v1/admin/batches", d(a.deskList))
	f.Get("/api/v1/admin/batches/:id", d(a.deskBatch))
	f.Post("/api/v1/admin/batches/:id/confirm", d(a.deskConfirm))
	f.Post("/api/v1/admin/batches/:id/rerun", d(a.deskRerun))
	f.Get("/api/v1/admin/batches/:id/rejects", d(a.deskRejects))
	f.Get("/api/v1/admin/batches/:id/rejects.xlsx", d(a.deskRejectsXLSX))
	f.Delete("/api/v1/admin/batches/:id", d(a.deskUndo))
	f.Get("/api/v1/admin/templates/:kind", d(a.deskTemplate))
}

// deskAccess are the desk's routes in routeAccess: editors may call them.
var deskAccess = []struct{ path, level string }{
	{"/api/v1/admin/uploads", accessEditor},
	{"/api/v1/admin/batches", accessEditor},
	{"/api/v1/admin/batches/", accessEditor},
	{"/api/v1/admin/templates/", accessEditor},
}

// uploadTimeout bounds reading one upload request (200 MB at 1 Mbit/s).
const uploadTimeout = 30 * time.Minute

// checkCSRF: a request signed in by the session cookie must carry the
// session's CSRF token; tokens (Authorization: Bearer) need none.
func (a *App) checkCSRF(c *fiber.Ctx) error {
	pr, ok := access.PrincipalOf(c.UserContext())
	if a.cfg.Auth == nil || !ok || pr.Via != "session" {
		return nil
	}
	return access.CheckCSRF(c.Cookies(sessionCookie), c.Get(access.CSRFHeader))
}

// deskScope is who asks, for the desk.
func deskScope(c *fiber.Ctx) desk.Scope {
	pr, ok := access.PrincipalOf(c.UserContext())
	if !ok {
		return desk.Scope{All: true} // auth off: tests of other packages
	}
	return desk.Scope{User: pr.Name, All: pr.AllProvinces, Provinces: pr.Provinces}
}

// withDesk runs h with the data desk, or answers 404 while it is off.
func (a *App) withDesk(h func(*fiber.Ctx, *desk.Desk) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a.deps.Desk == nil {
			return fiber.NewError(fiber.StatusNotFound, "nạp dữ liệu trên trang không bật / the data desk is off")
		}
		return h(c, a.deps.Desk)
	}
}

// deskAudit records a desk event: the user, the files with their SHA-256
// and the counts (desk.Batch.AuditDetail).
func (a *App) deskAudit(c *fiber.Ctx, event string, b desk.Batch, status int, extra map[string]any) {
	pr, _ := access.PrincipalOf(c.UserContext())
	a.audit(access.Event{Event: event, User: pr.Name, Via: pr.Via, Client: a.clientIP(c), Path: c.OriginalURL(), Status: status, Detail: b.AuditDetail(extra)})
}

// deskLimits: GET /api/v1/admin/uploads says the limits, the kinds of file
// taken and the caller's provinces (the page checks sizes before sending).
func (a *App) deskLimits(c *fiber.Ctx, d *desk.Desk) error {
	file, req := d.Limits()
	s := deskScope(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"max_file_bytes": file, "max_request_bytes": req, "extensions": desk.Exts,
		"all_provinces": s.All, "provinces": s.Provinces, "kinds": analytics.Kinds})
}

// deskUpload: POST /api/v1/admin/uploads, multipart with one or more
// "file" parts and optional kind, province, district (also as query
// parameters); dry_run=1 only previews (confirm with POST
// /api/v1/admin/batches/{id}/confirm); wait=1 answers when the load is over.
func (a *App) deskUpload(c *fiber.Ctx, d *desk.Desk) error {
	if err := a.checkCSRF(c); err != nil {
		return err
	}
	_, maxReq := d.Limits()
	slack := int64(1 << 20) // the multipart envelope
	// A large upload over a slow link takes longer than ReadTimeout, which
	// the server set for reading the whole request: the body is read here.
	if conn := c.Context().Conn(); conn != nil {
		conn.SetReadDeadline(time.Now().Add(uploadTimeout))
	}
	if n := c.Request().Header.ContentLength(); n > 0 && int64(n) > maxReq+slack {
		c.Context().SetConnectionClose()
		a.deskAudit(c, "upload_refused", desk.Batch{}, fiber.StatusRequestEntityTooLarge, map[string]any{"content_length": n})
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, d.RequestTooLarge().Message)
	}
	ct, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return analytics.Errorf(analytics.CodeInvalid, "cần multipart/form-data với trường file / a multipart/form-data body with file parts is required")
	}
	var body io.Reader
	if c.Request().IsBodyStream() {
		body = c.Context().RequestBodyStream()
	} else {
		body = strings.NewReader(string(c.Body()))
	}
	body = io.LimitReader(body, maxReq+slack)
	q := c.Queries()
	opt := desk.Options{Kind: analytics.Kind(q["kind"]), Province: q["province"], District: q["district"], Scope: deskScope(c)}
	u, err := d.NewUpload(opt)
	if err != nil {
		return err
	}
	mr := multipart.NewReader(body, params["boundary"])
	fail := func(err error) error {
		u.Abort()
		io.Copy(io.Discard, body) // bounded: the client reads the answer, not a reset
		var tl *desk.TooLargeError
		status := fiber.StatusBadRequest
		if errors.As(err, &tl) {
			status = fiber.StatusRequestEntityTooLarge
		}
		a.deskAudit(c, "upload_refused", desk.Batch{ID: u.ID(), Files: u.Files()}, status, map[string]any{"error": analytics.ErrorMessage(err)})
		if tl != nil {
			return fiber.NewError(fiber.StatusRequestEntityTooLarge, tl.Message)
		}
		return err
	}
	if err := desk.ReadParts(mr, u, &opt); err != nil {
		return fail(err)
	}
	if err := a.deskProvinceAllowed(opt); err != nil {
		return fail(err)
	}
	u.SetOptions(opt)
	dry := q["dry_run"] == "1" || q["dry_run"] == "true"
	b, err := d.Submit(c.UserContext(), u, dry)
	if err != nil {
		a.deskAudit(c, "upload_refused", desk.Batch{ID: u.ID(), Files: u.Files()}, fiber.StatusBadRequest, map[string]any{"error": analytics.ErrorMessage(err)})
		return err
	}
	status := fiber.StatusAccepted
	if dry {
		status = fiber.StatusOK
	} else if q["wait"] == "1" || q["wait"] == "true" {
		if b, err = d.Wait(c.UserContext(), b.ID, opt.Scope); err != nil {
			return err
		}
		status = fiber.StatusOK
	}
	event := "upload"
	if dry {
		event = "upload_preview"
	}
	a.deskAudit(c, event, b, status, nil)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(b)
}

// deskProvinceAllowed: an editor's upload may name only a granted province
// as its context (rows of other provinces are rejected anyway); a name
// rather than a code is left to the ingest to resolve.
func (a *App) deskProvinceAllowed(opt desk.Options) error {
	p := analytics.ProvinceCode(opt.Province)
	if p == "" || a.deps.Geo == nil || opt.Scope.Can(p) {
		return nil
	}
	if _, known := a.deps.Geo.Province(p); !known {
		return nil
	}
	return access.ErrForbiddenProvince(p)
}

// deskList: GET /api/v1/admin/batches, newest first; an editor sees the
// batches of their provinces.
func (a *App) deskList(c *fiber.Ctx, d *desk.Desk) error {
	list, err := d.List(c.UserContext(), deskScope(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"batches": list})
}

func deskID(c *fiber.Ctx) string {
	id, _ := url.PathUnescape(c.Params("id"))
	return id
}

// deskBatch: GET /api/v1/admin/batches/{id}: status, progress, preview, summary.
func (a *App) deskBatch(c *fiber.Ctx, d *desk.Desk) error {
	b, err := d.Get(deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(b)
}

// deskConfirm: POST /api/v1/admin/batches/{id}/confirm loads a preview.
func (a *App) deskConfirm(c *fiber.Ctx, d *desk.Desk) error {
	if err := a.checkCSRF(c); err != nil {
		return err
	}
	b, err := d.Confirm(deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	status := fiber.StatusAccepted
	if c.Query("wait") == "1" {
		if b, err = d.Wait(c.UserContext(), b.ID, deskScope(c)); err != nil {
			return err
		}
		status = fiber.StatusOK
	}
	a.deskAudit(c, "upload", b, status, nil)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(b)
}

// deskRerun: POST /api/v1/admin/batches/{id}/rerun previews the kept
// files of a batch as a new batch (confirm it to load).
func (a *App) deskRerun(c *fiber.Ctx, d *desk.Desk) error {
	if err := a.checkCSRF(c); err != nil {
		return err
	}
	b, err := d.Rerun(c.UserContext(), deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	a.deskAudit(c, "upload_preview", b, fiber.StatusOK, map[string]any{"rerun_of": deskID(c)})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(b)
}

// deskRejects: GET /api/v1/admin/batches/{id}/rejects, the table.
func (a *App) deskRejects(c *fiber.Ctx, d *desk.Desk) error {
	rows, total, err := d.Rejects(deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"rejects": rows, "total": total})
}

// deskRejectsXLSX: GET /api/v1/admin/batches/{id}/rejects.xlsx.
func (a *App) deskRejectsXLSX(c *fiber.Ctx, d *desk.Desk) error {
	name, body, err := d.RejectsXLSX(deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, ctXLSX)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(body)
}

// deskUndo: DELETE /api/v1/admin/batches/{id} undoes a load (or cancels a
// preview).
func (a *App) deskUndo(c *fiber.Ctx, d *desk.Desk) error {
	if err := a.checkCSRF(c); err != nil {
		return err
	}
	b, res, err := d.Undo(c.UserContext(), deskID(c), deskScope(c))
	if err != nil {
		return err
	}
	removed := map[string]uint64{}
	for k, n := range res.Removed {
		removed[string(k)] = n
	}
	a.deskAudit(c, "undo", b, fiber.StatusOK, map[string]any{"removed": removed, "provinces": res.Provinces})
	// The store's commit listeners empty the cache; a desk without them
	// (tests) is still right.
	a.Invalidate()
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"batch": b, "removed": removed, "provinces": res.Provinces})
}

// deskTemplate: GET /api/v1/admin/templates/{kind}.xlsx, a template to fill.
func (a *App) deskTemplate(c *fiber.Ctx, d *desk.Desk) error {
	kind := strings.TrimSuffix(c.Params("kind"), ".xlsx")
	name, body, err := d.Template(analytics.Kind(kind))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ctXLSX)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age="+strconv.Itoa(int(time.Hour.Seconds())))
	return c.Send(body)
}

// bodyGuard keeps the request body limit (Config.BodyLimit) on every route
// but the upload: the server streams request bodies so that uploads are
// not held in memory, and a route that reads its body whole must not be
// handed a large one.
func (a *App) bodyGuard(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodPost && normPath(c.Path()) == "/api/v1/admin/uploads" {
		return c.Next()
	}
	n := c.Request().Header.ContentLength()
	if n > a.cfg.BodyLimit || (n == -1 && c.Request().IsBodyStream()) {
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "thân yêu cầu quá lớn / request body too large")
	}
	return c.Next()
}

// deskFinished records a load's end in the audit log, with its counts,
// and empties the response cache.
func (a *App) deskFinished(b desk.Batch) {
	a.audit(access.Event{Event: "upload_done", User: b.Actor, Via: "desk", Detail: b.AuditDetail(map[string]any{"provinces": b.Loaded, "message": b.Message})})
	a.Invalidate()
}
