package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/dashboard/access"
)

// openAccess opens the users file and the audit log in the data directory.
// With no users at all it creates "admin" (every province) with a random
// password printed once in the log: the server is never open by accident;
// --public lets anonymous visitors read public figures besides.
func openAccess(c *config, log *slog.Logger) (*access.Store, *access.Audit, error) {
	if err := os.MkdirAll(c.Data, 0o700); err != nil {
		return nil, nil, err
	}
	users, err := access.OpenStore(filepath.Join(c.Data, access.UsersFile))
	if err != nil {
		return nil, nil, fmt.Errorf("users file: %w", err)
	}
	audit, err := access.OpenAudit(filepath.Join(c.Data, access.AuditFile))
	if err != nil {
		return nil, nil, fmt.Errorf("audit log: %w", err)
	}
	if users.Count() == 0 {
		password := access.NewSecret(15)
		created := false
		err := users.Update(func(us *access.Users) error {
			if len(us.List()) > 0 { // someone added users meanwhile
				return nil
			}
			created = true
			return us.Add("admin", access.Admin, password, access.All)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("create the first admin: %w", err)
		}
		if created {
			audit.Record(access.Event{Event: "user", User: "admin", Via: "serve", Detail: "created the first admin (no users)"})
			log.Warn("no users were configured: created user admin (role admin, every province) with this one-time password; "+
				"sign in, then add users with `antq user add` and change it with `antq user passwd admin`",
				"user", "admin", "password", password, "users_file", users.Path())
		}
	}
	return users, audit, nil
}

// serveMetrics serves /metrics on its own address (for a Prometheus on a
// private network) until the returned stop is called.
func serveMetrics(addr string, app *dashboard.App, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		app.WriteMetrics(w)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	log.Info("metrics served", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

const userUsage = `usage:
  antq user add NAME --role viewer|analyst|editor|admin [--province 08,25|all] [--password-stdin]
  antq user grant NAME PROVINCE...      (two-digit codes, or all)
  antq user revoke NAME PROVINCE...
  antq user role NAME viewer|analyst|editor|admin
  antq user passwd NAME [--password-stdin]
  antq user token NAME [--label TEXT]   (prints a new API token once)
  antq user token-revoke NAME ID
  antq user disable|enable|remove NAME
  antq user list
Without --password-stdin a random password is made and printed once.
The users file is <data>/users.json; a running server re-reads it within a second.`

// runUser manages users, grants and tokens in the users file. It does not
// open the store, so it works while `antq serve` runs (or does not).
func runUser(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, userUsage)
		return nil
	}
	sub := args[0]
	var c config
	fs := newFlags("user "+sub, &c, stderr)
	role := fs.String("role", "viewer", "role: viewer, analyst, editor (Cán bộ nhập liệu: uploads and undoes batches of the granted provinces) or admin")
	provinces := fs.String("province", "", "comma-separated province codes, or all")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	label := fs.String("label", "", "token: what it is for")
	// Flags may follow the user name: parse the rest twice around it.
	rest := args[1:]
	var pos []string
	for {
		if err := fs.Parse(rest); err != nil {
			return &exitError{code: 2}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	need := func(n int) error {
		if len(pos) < n {
			return &exitError{code: 2, msg: userUsage}
		}
		return nil
	}
	store, err := access.OpenStore(filepath.Join(c.Data, access.UsersFile))
	if err != nil {
		return err
	}
	if sub != "list" {
		if err := os.MkdirAll(c.Data, 0o700); err != nil {
			return err
		}
	}
	audit := func(detail string) {
		a, err := access.OpenAudit(filepath.Join(c.Data, access.AuditFile))
		if err != nil {
			fmt.Fprintln(stderr, "antq: audit log:", err)
			return
		}
		defer a.Close()
		user := ""
		if len(pos) > 0 {
			user = pos[0]
		}
		a.Record(access.Event{Event: "user", User: user, Via: "cli", Detail: detail})
	}
	password := func() (string, bool, error) {
		if !*fromStdin {
			return access.NewSecret(15), true, nil
		}
		b, err := io.ReadAll(io.LimitReader(os.Stdin, 4096))
		if err != nil {
			return "", false, err
		}
		return strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"), false, nil
	}
	switch sub {
	case "list":
		for _, u := range store.List() {
			state := ""
			if u.Disabled {
				state = " (đã khoá / disabled)"
			}
			var toks []string
			for _, t := range u.Tokens {
				toks = append(toks, t.ID+labelOf(t.Label))
			}
			sort.Strings(toks)
			fmt.Fprintf(stdout, "%-20s %-8s provinces=%s tokens=%s%s\n", u.Name, u.Role, strings.Join(u.Grants, ","), strings.Join(toks, ","), state)
		}
		return nil
	case "add":
		if err := need(1); err != nil {
			return err
		}
		r, err := access.ParseRole(*role)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		var grants []string
		for _, p := range strings.Split(*provinces, ",") {
			if p = strings.TrimSpace(p); p != "" {
				grants = append(grants, p)
			}
		}
		if err := store.Update(func(us *access.Users) error { return us.Add(pos[0], r, pw, grants...) }); err != nil {
			return err
		}
		audit(fmt.Sprintf("added, role %s, provinces %s", r, strings.Join(grants, ",")))
		fmt.Fprintf(stdout, "đã thêm %s (%s, tỉnh %s) / added %s (%s, provinces %s)\n", pos[0], r, strings.Join(grants, ","), pos[0], r, strings.Join(grants, ","))
		if generated {
			fmt.Fprintf(stdout, "mật khẩu (chỉ hiện một lần) / password (shown once): %s\n", pw)
		}
		return nil
	case "grant", "revoke":
		if err := need(2); err != nil {
			return err
		}
		err := store.Update(func(us *access.Users) error {
			if sub == "grant" {
				return us.Grant(pos[0], pos[1:]...)
			}
			return us.Revoke(pos[0], pos[1:]...)
		})
		if err != nil {
			return err
		}
		audit(sub + " " + strings.Join(pos[1:], ","))
		fmt.Fprintf(stdout, "%s %s: %s / %s %s: %s\n", map[string]string{"grant": "đã cấp", "revoke": "đã thu hồi"}[sub], pos[0], strings.Join(pos[1:], ","), sub, pos[0], strings.Join(pos[1:], ","))
		return nil
	case "role":
		if err := need(2); err != nil {
			return err
		}
		r, err := access.ParseRole(pos[1])
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		if err := store.Update(func(us *access.Users) error { return us.SetRole(pos[0], r) }); err != nil {
			return err
		}
		audit("role " + string(r))
		fmt.Fprintf(stdout, "%s giờ có quyền %s / %s is now %s\n", pos[0], r, pos[0], r)
		return nil
	case "passwd":
		if err := need(1); err != nil {
			return err
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := store.Update(func(us *access.Users) error { return us.SetPassword(pos[0], pw) }); err != nil {
			return err
		}
		audit("password changed")
		fmt.Fprintf(stdout, "đã đổi mật khẩu của %s / password of %s changed\n", pos[0], pos[0])
		if generated {
			fmt.Fprintf(stdout, "mật khẩu (chỉ hiện một lần) / password (shown once): %s\n", pw)
		}
		return nil
	case "token":
		if err := need(1); err != nil {
			return err
		}
		var tok, id string
		err := store.Update(func(us *access.Users) (err error) {
			tok, id, err = us.AddToken(pos[0], *label)
			return err
		})
		if err != nil {
			return err
		}
		audit("token " + id + " created" + labelOf(*label))
		fmt.Fprintf(stdout, "mã truy cập %s của %s (chỉ hiện một lần; gửi trong Authorization: Bearer ...) / token %s for %s (shown once; send it as Authorization: Bearer ...):\n%s\n", id, pos[0], id, pos[0], tok)
		return nil
	case "token-revoke":
		if err := need(2); err != nil {
			return err
		}
		if err := store.Update(func(us *access.Users) error { return us.RemoveToken(pos[0], pos[1]) }); err != nil {
			return err
		}
		audit("token " + pos[1] + " revoked")
		fmt.Fprintf(stdout, "đã thu hồi mã truy cập %s của %s / token %s of %s revoked\n", pos[1], pos[0], pos[1], pos[0])
		return nil
	case "disable", "enable", "remove":
		if err := need(1); err != nil {
			return err
		}
		err := store.Update(func(us *access.Users) error {
			if sub == "remove" {
				return us.Remove(pos[0])
			}
			return us.SetDisabled(pos[0], sub == "disable")
		})
		if err != nil {
			return err
		}
		done := map[string]string{"disable": "disabled", "enable": "enabled", "remove": "removed"}[sub]
		doneVI := map[string]string{"disable": "đã khoá", "enable": "đã mở khoá", "remove": "đã xoá"}[sub]
		audit(done)
		fmt.Fprintf(stdout, "%s %s / %s %s\n", doneVI, pos[0], pos[0], done)
		return nil
	}
	return &exitError{code: 2, msg: "không có lệnh user " + sub + " / unknown user command " + sub + "\n" + userUsage}
}

func labelOf(l string) string {
	if l == "" {
		return ""
	}
	return " (" + l + ")"
}
