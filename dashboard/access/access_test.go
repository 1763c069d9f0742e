package access

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRoles(t *testing.T) {
	tests := []struct {
		r, need Role
		want    bool
	}{
		{Viewer, Viewer, true}, {Viewer, Analyst, false}, {Analyst, Viewer, true}, {Analyst, Admin, false},
		{Admin, Analyst, true}, {Role("root"), Viewer, false},
		{Editor, Analyst, true}, {Editor, Admin, false}, {Admin, Editor, true}, {Analyst, Editor, false},
	}
	for _, tt := range tests {
		if got := tt.r.Includes(tt.need); got != tt.want {
			t.Errorf("%s.Includes(%s) = %v", tt.r, tt.need, got)
		}
	}
	if _, err := ParseRole("Analyst "); err != nil {
		t.Error(err)
	}
	if r, err := ParseRole("editor"); err != nil || r != Editor {
		t.Errorf("editor: %v %v", r, err)
	}
	if _, err := ParseRole("root"); err == nil {
		t.Error("root accepted")
	}
}

func TestPrincipalScope(t *testing.T) {
	p := (&User{Name: "a", Role: Viewer, Grants: []string{"25", "08", "08"}}).Principal("token")
	if !p.CanSee("08") || !p.CanSee("25") || p.CanSee("01") || p.CanSee("") {
		t.Errorf("grants 08,25: %+v", p)
	}
	if p.Scope() != "08,25" {
		t.Errorf("scope %q", p.Scope())
	}
	all := (&User{Name: "b", Role: Admin, Grants: []string{All}}).Principal("session")
	if !all.CanSee("") || !all.CanSee("99") || all.Scope() != All {
		t.Errorf("all: %+v", all)
	}
	if none := (&User{Name: "c", Role: Viewer}).Principal("x"); none.CanSee("08") || none.Grants() != nil {
		t.Errorf("no grants: %+v", none)
	}
}

func TestPassword(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if ok, err := VerifyPassword(h, "a long enough password"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "a long enough passwore"); ok {
		t.Error("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "$argon2id$v=19$m=8,t=1,p=1$!!$AA", h + "$x"} {
		if ok, err := VerifyPassword(bad, "x"); ok || err == nil {
			t.Errorf("%q: %v %v", bad, ok, err)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	h, _ := HashPassword("seed password 1")
	f.Add(h, "seed password 1")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAA$AAAA", "x")
	f.Fuzz(func(t *testing.T, phc, pw string) {
		VerifyPassword(phc, pw) // never panics; parameters are bounded
	})
}

func TestStoreLifecycle(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, UsersFile)
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Count() != 0 {
		t.Fatal("new store has users")
	}
	var tok, id string
	err = s.Update(func(us *Users) error {
		if err := us.Add("lan", Viewer, "mật khẩu đủ dài", "08"); err != nil {
			return err
		}
		tok, id, err = us.AddToken("lan", "ci")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v %v", st, err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), tok) || strings.Contains(string(b), "mật khẩu") {
		t.Fatal("a secret is stored in clear")
	}
	if p, err := s.Authenticate("lan", "mật khẩu đủ dài"); err != nil || p.Name != "lan" || !p.CanSee("08") {
		t.Errorf("authenticate: %+v %v", p, err)
	}
	for _, c := range [][2]string{{"lan", "wrong password"}, {"nobody", "mật khẩu đủ dài"}} {
		if _, err := s.Authenticate(c[0], c[1]); err != ErrDenied {
			t.Errorf("%v: %v", c, err)
		}
	}
	if p, err := s.ByToken(tok); err != nil || p.Name != "lan" || p.Via != "token" {
		t.Errorf("token: %+v %v", p, err)
	}
	if _, err := s.ByToken(tok + "x"); err != ErrDenied {
		t.Error("a wrong token signed in")
	}

	// Another process (antq user) revokes and disables; this store sees
	// it within a second.
	other, _ := OpenStore(path)
	if err := other.Update(func(us *Users) error {
		if err := us.Revoke("lan", "08"); err != nil {
			return err
		}
		return us.RemoveToken("lan", id)
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute) // hang guard; the reload is seen within a second
	for {
		p, ok := s.Principal("lan", "session")
		_, terr := s.ByToken(tok)
		if ok && !p.CanSee("08") && terr == ErrDenied {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("changes not seen: %+v %v", p, terr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, bad := range []func(us *Users) error{
		func(us *Users) error { return us.Add("lan", Viewer, "another long one") },
		func(us *Users) error { return us.Add("Bad Name", Viewer, "another long one") },
		func(us *Users) error { return us.Add("x", Viewer, "short") },
		func(us *Users) error { return us.Grant("lan", "8") },
		func(us *Users) error { return us.Grant("lan", "08' OR 1") },
	} {
		if err := s.Update(bad); err == nil {
			t.Error("a bad edit was accepted")
		}
	}
	if got := s.List(); len(got) != 1 || got[0].Password != "" {
		t.Errorf("list %+v", got)
	}
}

func TestAudit(t *testing.T) {
	path := filepath.Join(t.TempDir(), AuditFile)
	a, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	a.Record(Event{Event: "login", User: "lan"})
	a.Record(Event{Event: "export", Path: "/api/v1/export.csv?province=08"})
	a.Close()
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != 2 || !strings.Contains(string(b), `"event":"login"`) {
		t.Errorf("audit log %q", b)
	}
	var nilAudit *Audit
	if err := nilAudit.Record(Event{}); err != nil {
		t.Error(err)
	}
}

// TestSessionsFollowCredentials: a session names the user's immutable id
// and credential epoch; every change of credentials or rights ends it, and
// a user removed and added again under the same name is someone else.
func TestSessionsFollowCredentials(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(us *Users) error
		ends   bool
	}{
		{"nothing", func(us *Users) error { return nil }, false},
		{"another user's password", func(us *Users) error { return us.SetPassword("khac", "một mật khẩu mới dài") }, false},
		{"a token added", func(us *Users) error { _, _, err := us.AddToken("lan", "x"); return err }, false},
		{"the same role again", func(us *Users) error { return us.SetRole("lan", Viewer) }, false},
		{"password", func(us *Users) error { return us.SetPassword("lan", "một mật khẩu mới dài") }, true},
		{"disabled", func(us *Users) error { return us.SetDisabled("lan", true) }, true},
		{"role", func(us *Users) error { return us.SetRole("lan", Admin) }, true},
		{"grant", func(us *Users) error { return us.Grant("lan", "25") }, true},
		{"revoke", func(us *Users) error { return us.Revoke("lan", "08") }, true},
		{"removed", func(us *Users) error { return us.Remove("lan") }, true},
		{"removed and added again", func(us *Users) error {
			if err := us.Remove("lan"); err != nil {
				return err
			}
			return us.Add("lan", Viewer, "mật khẩu đủ dài", "08")
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := OpenStore(filepath.Join(t.TempDir(), UsersFile))
			if err != nil {
				t.Fatal(err)
			}
			var tok string
			if err := s.Update(func(us *Users) error {
				if err := us.Add("lan", Viewer, "mật khẩu đủ dài", "08"); err != nil {
					return err
				}
				if err := us.Add("khac", Viewer, "mật khẩu đủ dài", "08"); err != nil {
					return err
				}
				tok, _, err = us.AddToken("lan", "")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			p, err := s.Authenticate("lan", "mật khẩu đủ dài")
			if err != nil || p.UserID == "" {
				t.Fatalf("sign in: %+v %v", p, err)
			}
			if _, ok := s.Session(p.UserID, p.Epoch, "session"); !ok {
				t.Fatal("a fresh session is refused")
			}
			if err := s.Update(tc.change); err != nil {
				t.Fatal(err)
			}
			_, ok := s.Session(p.UserID, p.Epoch, "session")
			if ok == tc.ends {
				t.Errorf("session still valid = %v after %s, want %v", ok, tc.name, !tc.ends)
			}
			// Tokens are checked against the current entry: gone with the
			// user, refused while disabled, and never inherited by a new
			// user of the same name.
			tp, terr := s.ByToken(tok)
			switch tc.name {
			case "removed", "removed and added again", "disabled":
				if terr == nil {
					t.Errorf("token still signs in after %s: %+v", tc.name, tp)
				}
			case "role":
				if terr != nil || tp.Role != Admin {
					t.Errorf("token after a role change: %+v %v, want the new role at once", tp, terr)
				}
			default:
				if terr != nil {
					t.Errorf("token refused after %s: %v", tc.name, terr)
				}
			}
		})
	}
}

// TestLegacyUsersGetStableIDs: a users file written before users had ids
// still signs in, and its derived id survives re-reads and the next edit.
func TestLegacyUsersGetStableIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), UsersFile)
	h, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	legacy := `{"version":1,"users":[{"name":"lan","role":"viewer","password":"` + h + `","provinces":["08"],"created":"2026-01-02T03:04:05Z"}]}`
	if err := os.WriteFile(path, []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Authenticate("lan", "mật khẩu đủ dài")
	if err != nil || p.UserID == "" {
		t.Fatalf("legacy sign in: %+v %v", p, err)
	}
	if err := s.Update(func(us *Users) error { _, _, err := us.AddToken("lan", ""); return err }); err != nil {
		t.Fatal(err)
	}
	again, _ := OpenStore(path)
	if _, ok := again.Session(p.UserID, p.Epoch, "session"); !ok {
		t.Error("the legacy user's id changed when the file was rewritten")
	}
}
