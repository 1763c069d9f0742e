package access

import (
	"context"
	"net/url"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// Province scoping. A request's principal (who, which role, which
// provinces) rides in its context from the auth middleware. Two places read
// it, and no handler does:
//
//   - ScopedReader wraps the analytics.Reader that every handler, chart,
//     export, OGC item and briefing deck reads through (dashboard.New
//     installs it), so no query for a province outside the grants runs,
//     whatever route asked;
//     national queries (province "") need the grant of all provinces, and
//     raw site lists and restatement details need the analyst role.
//   - GuardParams checks province= and commune= of every request before
//     routing, so routes answering from the reference geography alone (the
//     commune list of a province) are scoped too, and a refusal is a
//     uniform 403 before any work.
//
// The response cache keys on the principal's scope as well (ScopeKey), so a
// response computed for one scope is never served to another.

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalOf returns the request's principal; ok is false when none was
// set (auth off, or a context not made by a request).
func PrincipalOf(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// ScopeKey is the cache key's suffix: "" when auth is off. The role is in
// it too: what a route lists (OGC collections) can depend on it.
func ScopeKey(ctx context.Context) string {
	p, ok := PrincipalOf(ctx)
	if !ok {
		return ""
	}
	return "#scope=" + p.Scope() + "#role=" + string(p.Role)
}

// ErrForbiddenProvince is the 403 of a province outside the grants.
func ErrForbiddenProvince(p analytics.ProvinceCode) error {
	if p == "" {
		return analytics.Errorf(analytics.CodeForbidden, "số liệu toàn quốc chỉ dành cho tài khoản được cấp mọi tỉnh / national figures need the grant of every province")
	}
	return analytics.Errorf(analytics.CodeForbidden, "tài khoản không được cấp quyền xem tỉnh %s / not granted province %s", p, p)
}

var ErrNoPrincipal = analytics.Errorf(analytics.CodeUnauthenticated, "cần đăng nhập / sign-in required")

// ScopedReader is the one gate of every figure: each call checks the
// principal in ctx against the provinces it reads.
type ScopedReader struct {
	r   analytics.Reader
	geo *commune.Set
}

// NewScopedReader wraps r; geo places communes in their provinces.
func NewScopedReader(r analytics.Reader, geo *commune.Set) ScopedReader {
	return ScopedReader{r: r, geo: geo}
}

// allow checks that the principal may read province p and commune c (either
// may be empty) and has at least role need.
func (s ScopedReader) allow(ctx context.Context, need Role, p analytics.ProvinceCode, c analytics.CommuneCode) error {
	pr, ok := PrincipalOf(ctx)
	if !ok {
		return ErrNoPrincipal // fail closed: a context without a principal reads nothing
	}
	if !pr.Role.Includes(need) {
		return ErrForbiddenRole(need)
	}
	if c != "" {
		cm, found := s.geo.Commune(c)
		if !found {
			return analytics.Errorf(analytics.CodeNotFound, "không có xã mã %q / no commune %q", c, c)
		}
		if !pr.CanSee(cm.Province) {
			return ErrForbiddenProvince(cm.Province)
		}
		if p == "" { // a commune's figures are its province's
			return nil
		}
	}
	if !pr.CanSee(p) {
		return ErrForbiddenProvince(p)
	}
	return nil
}

func (s ScopedReader) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	if err := s.allow(ctx, Viewer, p, ""); err != nil {
		return nil, err
	}
	return s.r.MetricByCommune(ctx, id, p, w)
}

func (s ScopedReader) MetricGroup(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) (float64, error) {
	if err := s.allow(ctx, Viewer, p, ""); err != nil {
		return 0, err
	}
	return s.r.MetricGroup(ctx, id, p, w)
}

func (s ScopedReader) Breakdown(ctx context.Context, by string, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window) ([]analytics.Share, error) {
	if err := s.allow(ctx, Viewer, p, c); err != nil {
		return nil, err
	}
	return s.r.Breakdown(ctx, by, p, c, w)
}

func (s ScopedReader) Sites(ctx context.Context, f analytics.SiteFilter) ([]analytics.SitePoint, error) {
	if err := s.allow(ctx, Analyst, f.Province, f.Commune); err != nil {
		return nil, err
	}
	return s.r.Sites(ctx, f)
}

func (s ScopedReader) Models(ctx context.Context, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window, limit int) ([]analytics.ModelRow, error) {
	if err := s.allow(ctx, Viewer, p, c); err != nil {
		return nil, err
	}
	return s.r.Models(ctx, p, c, w, limit)
}

func (s ScopedReader) Restated(ctx context.Context, c analytics.CommuneCode) ([]analytics.Restated, error) {
	if c == "" {
		return nil, ErrForbiddenProvince("")
	}
	if err := s.allow(ctx, Analyst, "", c); err != nil {
		return nil, err
	}
	return s.r.Restated(ctx, c)
}

func (s ScopedReader) ProvinceFacts(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) (analytics.ProvinceFacts, error) {
	if err := s.allow(ctx, Viewer, p, ""); err != nil {
		return analytics.ProvinceFacts{}, err
	}
	return s.r.ProvinceFacts(ctx, p, w)
}

func (s ScopedReader) Reporting(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) ([]analytics.Reporting, error) {
	if err := s.allow(ctx, Viewer, p, ""); err != nil {
		return nil, err
	}
	return s.r.Reporting(ctx, p, w)
}

func (s ScopedReader) DataHalfMonths(ctx context.Context, p analytics.ProvinceCode) (map[analytics.Kind][]time.Time, error) {
	if err := s.allow(ctx, Viewer, p, ""); err != nil {
		return nil, err
	}
	return s.r.DataHalfMonths(ctx, p)
}

// GuardParams checks the province= and commune= parameters of a request
// (every value, on every route) against the principal: "all", an empty
// value or an unknown code are left to the handlers' own parsing (400),
// except that "all" needs the grant of all provinces.
func GuardParams(geo *commune.Set, pr Principal, q url.Values) error {
	if pr.AllProvinces {
		return nil
	}
	for _, v := range q["province"] {
		switch {
		case v == analytics.ProvinceAll:
			return ErrForbiddenProvince("")
		case v != "" && !pr.CanSee(analytics.ProvinceCode(v)):
			if geo == nil {
				return ErrForbiddenProvince(analytics.ProvinceCode(v))
			}
			if _, known := geo.Province(analytics.ProvinceCode(v)); known {
				return ErrForbiddenProvince(analytics.ProvinceCode(v))
			}
		}
	}
	if geo == nil {
		return nil
	}
	for _, v := range q["commune"] {
		if c, ok := geo.Commune(analytics.CommuneCode(v)); ok && !pr.CanSee(c.Province) {
			return ErrForbiddenProvince(c.Province)
		}
	}
	return nil
}

func ErrForbiddenRole(need Role) error {
	return analytics.Errorf(analytics.CodeForbidden, "cần quyền %s / needs the %s role", need, need)
}
