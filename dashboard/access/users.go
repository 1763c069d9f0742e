package access

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// UsersFile is the users file's name in the data directory.
const UsersFile = "users.json"

// ErrDenied is every failed sign-in: unknown user, wrong password, unknown
// token. Callers must not say which.
var ErrDenied = errors.New("access denied")

// User is one entry of the users file.
//
// ID never changes and is never reused: a session names the user by ID, so
// a user removed and added again under the same name is a new user and the
// old sessions end. Epoch is the credential epoch: it grows whenever the
// password, the role, the grants or the disabled flag change, and a session
// made under another epoch ends (sign in again). API tokens are checked
// against the current entry on every request, so they follow role, grant
// and disabled changes at once and die with the user.
type User struct {
	ID       string    `json:"id"`
	Epoch    uint64    `json:"epoch,omitempty"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Password string    `json:"password,omitempty"` // argon2id PHC string; empty: token-only
	Grants   []string  `json:"provinces"`          // two-digit province codes, or ["all"]
	Tokens   []Token   `json:"tokens,omitempty"`
	Created  time.Time `json:"created"`
	Disabled bool      `json:"disabled,omitempty"`
}

// Token is an API token; only its SHA-256 is kept.
type Token struct {
	ID      string    `json:"id"` // shown in lists and the audit log
	Label   string    `json:"label,omitempty"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

// Principal is the user as a request's principal.
func (u *User) Principal(via string) Principal {
	p := Principal{Name: u.Name, Role: u.Role, Via: via, UserID: u.ID, Epoch: u.Epoch}
	for _, g := range u.Grants {
		if g == All {
			p.AllProvinces = true
			continue
		}
		p.Provinces = append(p.Provinces, analytics.ProvinceCode(g))
	}
	slices.Sort(p.Provinces)
	p.Provinces = slices.Compact(p.Provinces)
	return p
}

type usersDoc struct {
	Version int    `json:"version"`
	Users   []User `json:"users"`
}

// Users is the editable content of the users file (see Store.Update).
type Users struct {
	list []User
	now  time.Time
}

func validName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '@') {
			return false
		}
	}
	return true
}

func validGrant(g string) bool {
	return g == All || len(g) == 2 && g[0] >= '0' && g[0] <= '9' && g[1] >= '0' && g[1] <= '9'
}

func (us *Users) find(name string) (*User, error) {
	for i := range us.list {
		if us.list[i].Name == name {
			return &us.list[i], nil
		}
	}
	return nil, fmt.Errorf("không có người dùng %q / no user %q", name, name)
}

// List returns the users, by name.
func (us *Users) List() []User { return slices.Clone(us.list) }

// Add adds a user; password may be empty for a token-only user.
func (us *Users) Add(name string, role Role, password string, grants ...string) error {
	if !validName(name) {
		return fmt.Errorf("tên người dùng %q: 1–64 ký tự a-z 0-9 . _ - @ / user name %q: 1–64 of a-z 0-9 . _ - @", name, name)
	}
	if !role.Valid() {
		return fmt.Errorf("không có quyền %q: viewer, analyst, editor hoặc admin / unknown role %q: viewer, analyst, editor or admin", role, role)
	}
	if _, err := us.find(name); err == nil {
		return fmt.Errorf("người dùng %q đã có / user %q exists", name, name)
	}
	u := User{ID: NewSecret(12), Name: name, Role: role, Created: us.now}
	if password != "" {
		if err := us.setPassword(&u, password); err != nil {
			return err
		}
	}
	us.list = append(us.list, u)
	sort.Slice(us.list, func(i, j int) bool { return us.list[i].Name < us.list[j].Name })
	return us.Grant(name, grants...)
}

func (us *Users) setPassword(u *User, password string) error {
	if len([]rune(password)) < MinPassword {
		return fmt.Errorf("mật khẩu: ít nhất %d ký tự / password: at least %d characters", MinPassword, MinPassword)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.Password = h
	u.Epoch++
	return nil
}

// SetPassword replaces a user's password.
func (us *Users) SetPassword(name, password string) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	return us.setPassword(u, password)
}

// SetRole changes a user's role.
func (us *Users) SetRole(name string, role Role) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	if !role.Valid() {
		return fmt.Errorf("không có quyền %q: viewer, analyst, editor hoặc admin / unknown role %q: viewer, analyst, editor or admin", role, role)
	}
	if u.Role != role {
		u.Role = role
		u.Epoch++
	}
	return nil
}

// Grant adds provinces (two-digit codes, or "all") to a user's grants.
func (us *Users) Grant(name string, grants ...string) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if !validGrant(g) {
			return fmt.Errorf("quyền %q: mã tỉnh hai chữ số hoặc all / grant %q: a two-digit province code or all", g, g)
		}
		if !slices.Contains(u.Grants, g) {
			u.Grants = append(u.Grants, g)
			u.Epoch++
		}
	}
	slices.Sort(u.Grants)
	return nil
}

// Revoke removes provinces (or "all") from a user's grants.
func (us *Users) Revoke(name string, grants ...string) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	n := len(u.Grants)
	u.Grants = slices.DeleteFunc(u.Grants, func(g string) bool { return slices.Contains(grants, g) })
	if len(u.Grants) != n {
		u.Epoch++
	}
	return nil
}

// Remove deletes a user and its tokens.
func (us *Users) Remove(name string) error {
	if _, err := us.find(name); err != nil {
		return err
	}
	us.list = slices.DeleteFunc(us.list, func(u User) bool { return u.Name == name })
	return nil
}

// SetDisabled turns a user's sign-in and tokens off or on.
func (us *Users) SetDisabled(name string, off bool) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	if u.Disabled != off {
		u.Disabled = off
		u.Epoch++
	}
	return nil
}

// AddToken creates an API token for a user and returns it: it is shown
// once, only its hash is kept.
func (us *Users) AddToken(name, label string) (token, id string, err error) {
	u, err := us.find(name)
	if err != nil {
		return "", "", err
	}
	token, id = newToken()
	u.Tokens = append(u.Tokens, Token{ID: id, Label: label, SHA256: TokenHash(token), Created: us.now})
	return token, id, nil
}

// RemoveToken revokes a user's token by id.
func (us *Users) RemoveToken(name, id string) error {
	u, err := us.find(name)
	if err != nil {
		return err
	}
	n := len(u.Tokens)
	u.Tokens = slices.DeleteFunc(u.Tokens, func(t Token) bool { return t.ID == id })
	if len(u.Tokens) == n {
		return fmt.Errorf("người dùng %q không có mã truy cập %q / user %q has no token %q", name, id, name, id)
	}
	return nil
}

// Store is the users file, read into memory and re-read when the file
// changes (checked at most once a second), so `antq user` edits reach a
// running server without a restart.
type Store struct {
	path string

	mu      sync.Mutex
	checked time.Time
	stamp   fileStamp
	byName  map[string]*User
	byID    map[string]*User
	byToken map[string]*User // by token hash
	loadErr error            // the last reload's failure (the previous content is kept)
}

type fileStamp struct {
	mod  time.Time
	size int64
	ino  uint64
}

func stampOf(fi os.FileInfo) fileStamp {
	s := fileStamp{mod: fi.ModTime(), size: fi.Size()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino = st.Ino
	}
	return s
}

// OpenStore reads the users file at path; a missing file is no users.
func OpenStore(path string) (*Store, error) {
	s := &Store{path: path}
	if err := s.reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Path is the users file's path.
func (s *Store) Path() string { return s.path }

func readDoc(path string) (usersDoc, fileStamp, error) {
	var doc usersDoc
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return doc, fileStamp{}, nil
	}
	if err != nil {
		return doc, fileStamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return doc, fileStamp{}, err
	}
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		return doc, fileStamp{}, fmt.Errorf("read %s: %w", path, err)
	}
	for i := range doc.Users {
		if doc.Users[i].ID == "" {
			doc.Users[i].ID = legacyID(&doc.Users[i])
		}
	}
	return doc, stampOf(fi), nil
}

func (s *Store) reload() error {
	doc, st, err := readDoc(s.path)
	if err != nil {
		return err
	}
	s.install(doc, st)
	return nil
}

func (s *Store) install(doc usersDoc, st fileStamp) {
	byName := make(map[string]*User, len(doc.Users))
	byID := make(map[string]*User, len(doc.Users))
	byToken := map[string]*User{}
	for i := range doc.Users {
		u := &doc.Users[i]
		byName[u.Name] = u
		byID[u.ID] = u
		for _, t := range u.Tokens {
			byToken[t.SHA256] = u
		}
	}
	s.byName, s.byID, s.byToken, s.stamp, s.checked = byName, byID, byToken, st, time.Now()
}

// refresh re-reads the file when it changed; s.mu is held.
func (s *Store) refresh() {
	if time.Since(s.checked) < time.Second {
		return
	}
	s.checked = time.Now()
	fi, err := os.Stat(s.path)
	var st fileStamp
	if err == nil {
		st = stampOf(fi)
	} else if !errors.Is(err, os.ErrNotExist) {
		s.loadErr = err
		return
	}
	if st == s.stamp {
		return
	}
	doc, st, err := readDoc(s.path)
	if err != nil {
		s.loadErr = err // keep serving the previous content
		return
	}
	s.loadErr = nil
	s.install(doc, st)
}

// Count returns the number of users.
func (s *Store) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	return len(s.byName)
}

// Authenticate checks a name and password; every failure is ErrDenied and
// takes about as long.
func (s *Store) Authenticate(name, password string) (Principal, error) {
	s.mu.Lock()
	s.refresh()
	u, ok := s.byName[name]
	var hash string
	var usable bool
	var p Principal
	if ok {
		hash, usable, p = u.Password, !u.Disabled && u.Password != "", u.Principal("password")
	}
	s.mu.Unlock()
	if !usable {
		hash = dummyHash
	}
	good, err := VerifyPassword(hash, password)
	if err != nil || !good || !usable {
		return Principal{}, ErrDenied
	}
	return p, nil
}

// ByToken returns the principal of an API token.
func (s *Store) ByToken(token string) (Principal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	u, ok := s.byToken[TokenHash(token)]
	if !ok || u.Disabled {
		return Principal{}, ErrDenied
	}
	return u.Principal("token"), nil
}

// Session returns the current principal of the user a session was made
// for: the user with that immutable id, at that credential epoch, not
// disabled. Sessions look it up on every request, so removing the user (even
// if the name is added again), a new password, a role or grant change or
// disabling ends the session (the file is re-read within a second).
func (s *Store) Session(id string, epoch uint64, via string) (Principal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	u, ok := s.byID[id]
	if !ok || id == "" || u.Disabled || u.Epoch != epoch {
		return Principal{}, false
	}
	return u.Principal(via), true
}

// Principal returns a user's current principal by name.
func (s *Store) Principal(name, via string) (Principal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	u, ok := s.byName[name]
	if !ok || u.Disabled {
		return Principal{}, false
	}
	return u.Principal(via), true
}

// List returns the users without password hashes (token hashes are
// dropped too; ids and labels stay).
func (s *Store) List() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	out := make([]User, 0, len(s.byName))
	for _, u := range s.byName {
		c := *u
		c.Password = ""
		c.Tokens = slices.Clone(u.Tokens)
		for i := range c.Tokens {
			c.Tokens[i].SHA256 = ""
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Update edits the users file under an exclusive lock (users.json.lock), so
// the server and `antq user` never lose each other's changes: it reads the
// file, applies fn, and writes a new file (0600) that replaces the old one
// atomically.
func (s *Store) Update(fn func(*Users) error) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	lock, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", s.path, err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	doc, _, err := readDoc(s.path)
	if err != nil {
		return err
	}
	us := &Users{list: doc.Users, now: time.Now().UTC().Truncate(time.Second)}
	if err := fn(us); err != nil {
		return err
	}
	doc = usersDoc{Version: 1, Users: us.list}
	if doc.Users == nil {
		doc.Users = []User{}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(s.path, append(b, '\n')); err != nil {
		return err
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.install(doc, stampOf(fi))
	s.mu.Unlock()
	return nil
}

// writeAtomic writes a temporary file beside path, syncs it and renames it
// over path, then syncs the directory: readers see the old or the new file,
// never a part.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".users-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// legacyID names a user of a users file written before users had ids: a
// hash of the name, the creation time and the credentials, so the same
// entry keeps its id across reads and a user removed and added again (new
// password salt or token) gets another. The next Update writes it down.
func legacyID(u *User) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", u.Name, u.Created.Format(time.RFC3339Nano), u.Password)
	for _, t := range u.Tokens {
		fmt.Fprintf(h, "\x00%s", t.SHA256)
	}
	return "legacy-" + hex.EncodeToString(h.Sum(nil)[:12])
}
