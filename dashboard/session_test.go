package dashboard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/dashboard/access"
)

// TestSessionEndsWhenCredentialsChange: `antq user` (another process, the
// users file) removes, re-adds, re-keys, disables or re-roles a signed-in
// user; the session stops working within a few seconds, without a restart.
func TestSessionEndsWhenCredentialsChange(t *testing.T) {
	f := newAccessFixture(t, nil)
	other, err := access.OpenStore(filepath.Join(f.dir, access.UsersFile)) // as `antq user` would
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name   string
		change func(us *access.Users, user string) error
	}{
		{"removed", func(us *access.Users, u string) error { return us.Remove(u) }},
		{"removed and added again with the same password", func(us *access.Users, u string) error {
			if err := us.Remove(u); err != nil {
				return err
			}
			return us.Add(u, access.Viewer, testPassword, "08")
		}},
		{"password changed", func(us *access.Users, u string) error { return us.SetPassword(u, "a brand new password") }},
		{"disabled", func(us *access.Users, u string) error { return us.SetDisabled(u, true) }},
		{"role changed", func(us *access.Users, u string) error { return us.SetRole(u, access.Analyst) }},
		{"grant added", func(us *access.Users, u string) error { return us.Grant(u, "25") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := fmt.Sprintf("moved-%d", i)
			// Added through the server's own store (seen at once), so the
			// sign-in needs one attempt (sign-ins are rate limited).
			if err := f.users.Update(func(us *access.Users) error { return us.Add(user, access.Viewer, testPassword, "08") }); err != nil {
				t.Fatal(err)
			}
			c, r := f.login(t, user, testPassword)
			if c == nil {
				t.Fatalf("the new user cannot sign in: %d %s", r.status, r.body)
			}
			cookie := "antq_session=" + c.Value
			if r := f.do(t, http.MethodGet, "/api/v1/summary?province=08", "", "Cookie", cookie); r.status != 200 {
				t.Fatalf("signed in: %d %s", r.status, r.body)
			}
			if err := other.Update(func(us *access.Users) error { return tc.change(us, user) }); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(2 * time.Minute) // a hang guard, not a speed check
			for {
				r := f.do(t, http.MethodGet, "/api/v1/summary?province=08", "", "Cookie", cookie)
				if r.status == 401 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the session still answers %d 2 min after the user was %s", r.status, tc.name)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if r := f.do(t, http.MethodGet, "/api/v1/session", "", "Cookie", cookie); strings.Contains(string(r.body), user) {
				t.Errorf("session still names %s: %s", user, r.body)
			}
		})
	}
}

// TestLoginRefusesOtherSites: a form posted to /api/v1/login from another
// site (login CSRF) is refused before the password is checked; the page's
// own sign-in (same origin) and non-browser clients work. Sign-out and the
// ingest hand-off are guarded the same way.
func TestLoginRefusesOtherSites(t *testing.T) {
	f := newAccessFixture(t, nil)
	form := url.Values{"user": {"tq-viewer"}, "password": {testPassword}}.Encode()
	post := func(path, body string, headers ...string) (int, []*http.Cookie) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Host = "atlas.example"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := f.app.Fiber().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Cookies()
	}
	for _, tc := range []struct {
		name    string
		path    string
		headers []string
		status  int
	}{
		{"form from another site", "/api/v1/login", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
		{"form from a sibling site", "/api/v1/login", []string{"Origin", "https://a.atlas.example", "Sec-Fetch-Site", "same-site"}, 403},
		{"old browser, other origin", "/api/v1/login", []string{"Origin", "https://evil.example"}, 403},
		{"old browser, null origin", "/api/v1/login", []string{"Origin", "null"}, 403},
		{"same origin", "/api/v1/login", []string{"Origin", "http://atlas.example", "Sec-Fetch-Site", "same-origin"}, 200},
		{"old browser, same origin", "/api/v1/login", []string{"Origin", "http://atlas.example"}, 200},
		{"typed by the user", "/api/v1/login", []string{"Sec-Fetch-Site", "none"}, 200},
		{"not a browser", "/api/v1/login", nil, 200},
		{"logout from another site", "/api/v1/logout", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
		{"ingest hand-off from another site", "/api/v1/admin/ingest-local", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, cookies := post(tc.path, form, tc.headers...)
			if status != tc.status {
				t.Fatalf("POST %s with %v: %d, want %d", tc.path, tc.headers, status, tc.status)
			}
			if status == 403 {
				for _, c := range cookies {
					if c.Name == "antq_session" && c.Value != "" {
						t.Errorf("a refused request set a session cookie")
					}
				}
			}
		})
	}
}
