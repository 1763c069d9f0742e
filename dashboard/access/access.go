package access

import (
	"errors"
	"slices"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// Role is what a user may do. Each role includes the ones before it.
type Role string

// Roles, least to most.
const (
	// Viewer sees maps, charts, summaries and exports of the granted provinces.
	Viewer Role = "viewer"
	// Analyst also sees a commune's detail and raw site lists.
	Analyst Role = "analyst"
	// Editor ("Cán bộ nhập liệu") also uploads reports in the page or the
	// API, sees the batches of the granted provinces and undoes them; rows
	// of a province not granted are rejected.
	Editor Role = "editor"
	// Admin also manages users and tokens and reads /metrics; admins can
	// do everything editors can.
	Admin Role = "admin"
)

// Roles lists the roles, least to most.
var Roles = []Role{Viewer, Analyst, Editor, Admin}

func (r Role) rank() int { return slices.Index(Roles, r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() >= 0 }

// Includes reports whether r has at least need's rights.
func (r Role) Includes(need Role) bool { return r.Valid() && r.rank() >= need.rank() }

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", errors.New("không có quyền " + strconvQuote(s) + ": viewer, analyst, editor hoặc admin / unknown role " + strconvQuote(s) + ": viewer, analyst, editor or admin")
	}
	return r, nil
}

// All is the grant of every province, which alone allows national figures.
const All = "all"

// Principal is who makes a request: a user (signed in, or by token), an
// anonymous visitor of a public server, or a signed embed link.
type Principal struct {
	Name string
	Role Role
	// AllProvinces: every province and national ("all") figures.
	AllProvinces bool
	// Provinces granted, sorted (ignored when AllProvinces).
	Provinces []analytics.ProvinceCode
	// Via says how the request was authenticated: "session", "token",
	// "password", "public", "embed".
	Via string
	// UserID and Epoch identify the users-file entry and its credential
	// epoch (see User); empty for anonymous, public and embed principals.
	UserID string
	Epoch  uint64
}

// CanSee reports whether p may read province pc's figures; "" (national,
// every province at once) needs the grant of all provinces.
func (p Principal) CanSee(pc analytics.ProvinceCode) bool {
	if p.AllProvinces {
		return true
	}
	if pc == "" {
		return false
	}
	_, ok := slices.BinarySearch(p.Provinces, pc)
	return ok
}

// Scope names what p may see, for cache keys: "all" or "08,25". Two
// principals with the same scope may share cached responses.
func (p Principal) Scope() string {
	if p.AllProvinces {
		return All
	}
	s := make([]string, len(p.Provinces))
	for i, c := range p.Provinces {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

// Grants returns the principal's grants as written in the users file.
func (p Principal) Grants() []string {
	if p.AllProvinces {
		return []string{All}
	}
	if len(p.Provinces) == 0 {
		return nil
	}
	return strings.Split(p.Scope(), ",")
}

func strconvQuote(s string) string { return "\"" + s + "\"" }
