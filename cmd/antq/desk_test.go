package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/dashboard/desk"
)

// The data desk's API, through the real binary: `antq serve` with users
// made by `antq user`, files sent as the page sends them.

var (
	deskBinOnce sync.Once
	deskBinPath string
	deskBinErr  error
)

// deskBinary builds antq once for the desk tests.
func deskBinary(tb testing.TB) string {
	tb.Helper()
	deskBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "antq-desk-bin-")
		if err != nil {
			deskBinErr = err
			return
		}
		deskBinPath = filepath.Join(dir, "antq")
		if out, err := exec.Command("go", "build", "-o", deskBinPath, ".").CombinedOutput(); err != nil {
			deskBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if deskBinErr != nil {
		tb.Fatal(deskBinErr)
	}
	return deskBinPath
}

type deskServer struct {
	tb   testing.TB
	bin  string
	data string
	base string
	args []string
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  strings.Builder
	done chan error
}

// startDesk runs `antq serve` on data and waits until it is ready.
func startDesk(tb testing.TB, bin, data string, args ...string) *deskServer {
	tb.Helper()
	port := freePort(tb)
	s := &deskServer{tb: tb, bin: bin, data: data, base: fmt.Sprintf("http://127.0.0.1:%d", port), args: args}
	s.cmd = exec.Command(bin, append([]string{"serve", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--rate-limit", "0"}, args...)...)
	s.cmd.Env = childEnv(tb)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s.done = make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.log.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
		s.done <- s.cmd.Wait()
	}()
	tb.Cleanup(func() { s.cmd.Process.Kill(); <-s.doneOnce() })
	deadline := time.Now().Add(3 * time.Minute) // a hang guard: the first start migrates and loads the reference tables
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("antq serve not ready: %v\n%s", err, s.logText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *deskServer) logText() string { s.mu.Lock(); defer s.mu.Unlock(); return s.log.String() }

// doneOnce returns a channel that yields the exit once, however often asked.
func (s *deskServer) doneOnce() <-chan error {
	ch := make(chan error, 1)
	go func() {
		err, ok := <-s.done
		if ok {
			close(s.done)
		}
		ch <- err
	}()
	return ch
}

// kill ends the server with SIGKILL and waits for it.
func (s *deskServer) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-s.doneOnce():
	case <-time.After(time.Minute):
		s.tb.Fatal("antq serve still running a minute after SIGKILL")
	}
}

// stop ends the server with SIGTERM and waits for it.
func (s *deskServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.doneOnce():
	case <-time.After(2 * time.Minute):
		s.tb.Fatal("antq serve still running 2 minutes after SIGTERM")
	}
}

// addDeskUser adds a user with a password and returns an API token.
func addDeskUser(tb testing.TB, bin, data, name, role, provinces, password string) string {
	tb.Helper()
	cmd := exec.Command(bin, "user", "add", name, "--role", role, "--province", provinces, "--password-stdin", "--data", data)
	cmd.Env = childEnv(tb)
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("antq user add %s: %v\n%s", name, err, out)
	}
	cmd = exec.Command(bin, "user", "token", name, "--data", data)
	cmd.Env = childEnv(tb)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("antq user token %s: %v", name, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

type upFile struct {
	name string
	body []byte
}

type deskAnswer struct {
	status int
	body   []byte
	batch  desk.Batch
}

// deskDo sends a request with a token (or none) and decodes a batch answer.
func deskDo(tb testing.TB, client *http.Client, method, url, token string, body io.Reader, ctype string, headers ...string) deskAnswer {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	a := deskAnswer{status: resp.StatusCode, body: raw}
	json.Unmarshal(raw, &a.batch)
	return a
}

func multipartBody(tb testing.TB, files []upFile, fields map[string]string) (*bytes.Buffer, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(f.body)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// upload posts files to /api/v1/admin/uploads with query (e.g. "wait=1").
func (s *deskServer) upload(tb testing.TB, token, query string, files []upFile, fields map[string]string) deskAnswer {
	tb.Helper()
	body, ct := multipartBody(tb, files, fields)
	return deskDo(tb, nil, http.MethodPost, s.base+"/api/v1/admin/uploads?"+query, token, body, ct)
}

// incidentsCSV is n incident rows of Tuyên Quang (keys prefix-0…), and
// other rows of Phú Thọ; one in 100 Tuyên Quang rows names no commune.
type incidentsFile struct {
	body                 []byte
	read, valid          int
	rejected             int // rows naming no commune
	validIn08, validIn25 int
}

func incidentsCSV(prefix string, n08, n25 int) incidentsFile {
	var b bytes.Buffer
	var f incidentsFile
	b.WriteString("Mã vụ việc,Lĩnh vực vụ việc,Ngày tiếp nhận,Ngày kết thúc,Kết quả,Xã/Phường,Tỉnh\n")
	for i := range n08 {
		commune := crashCommunes[i%len(crashCommunes)]
		if i%100 == 99 {
			commune = "Xã Không Có Thật"
			f.rejected++
		} else {
			f.validIn08++
		}
		fmt.Fprintf(&b, "%s-%06d,Giao thông,%02d/08/2025,,Đang giải quyết,%s,Tỉnh Tuyên Quang\n", prefix, i, 1+i%28, commune)
		f.read++
	}
	for i := range n25 {
		fmt.Fprintf(&b, "%s-PT-%06d,Giao thông,%02d/09/2025,,Đang giải quyết,Xã Lương Sơn,Tỉnh Phú Thọ\n", prefix, i, 1+i%28)
		f.validIn25++
		f.read++
	}
	f.body = b.Bytes()
	f.valid = f.validIn08 + f.validIn25
	return f
}

func counts(b desk.Batch) analytics.BatchCounts {
	if b.Summary == nil {
		return analytics.BatchCounts{Read: -1}
	}
	return b.Summary.Counts
}

// TestDeskAPI: roles, CSRF, limits, an XLSX bomb, an editor's province,
// two uploads at once, undo and the audit log, through `antq serve`.
func TestDeskAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := deskBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	const pw = "mật khẩu đủ dài 123"
	admin := addDeskUser(t, bin, data, "quantri", "admin", "all", pw)
	ed08 := addDeskUser(t, bin, data, "nhaplieu08", "editor", "08", pw)
	ed25 := addDeskUser(t, bin, data, "nhaplieu25", "editor", "25", pw)
	viewer := addDeskUser(t, bin, data, "xem08", "viewer", "08", pw)
	s := startDesk(t, bin, data, "--upload-max-mb", "1", "--upload-max-request-mb", "3")

	t.Run("viewer gets 403 on every desk route", func(t *testing.T) {
		body, ct := multipartBody(t, []upFile{{"a.csv", []byte("x\n")}}, nil)
		for _, r := range []struct {
			method, path string
			body         io.Reader
			ct           string
		}{
			{http.MethodGet, "/api/v1/admin/uploads", nil, ""},
			{http.MethodPost, "/api/v1/admin/uploads?dry_run=1", body, ct},
			{http.MethodGet, "/api/v1/admin/batches", nil, ""},
			{http.MethodGet, "/api/v1/admin/batches/20250101-000000-abcd", nil, ""},
			{http.MethodGet, "/api/v1/admin/batches/20250101-000000-abcd/rejects.xlsx", nil, ""},
			{http.MethodPost, "/api/v1/admin/batches/20250101-000000-abcd/confirm", nil, ""},
			{http.MethodPost, "/api/v1/admin/batches/20250101-000000-abcd/rerun", nil, ""},
			{http.MethodDelete, "/api/v1/admin/batches/20250101-000000-abcd", nil, ""},
			{http.MethodGet, "/api/v1/admin/templates/sites.xlsx", nil, ""},
		} {
			if a := deskDo(t, nil, r.method, s.base+r.path, viewer, r.body, r.ct); a.status != http.StatusForbidden {
				t.Errorf("viewer %s %s: %d %s, want 403", r.method, r.path, a.status, a.body)
			}
		}
		if a := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches", "", nil, ""); a.status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d, want 401", a.status)
		}
	})

	t.Run("cookie POST without the CSRF token is refused", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		login, _ := json.Marshal(map[string]string{"user": "nhaplieu08", "password": pw})
		a := deskDo(t, client, http.MethodPost, s.base+"/api/v1/login", "", bytes.NewReader(login), "application/json")
		var sess struct{ CSRF string }
		if json.Unmarshal(a.body, &sess); a.status != 200 || sess.CSRF == "" {
			t.Fatalf("login: %d %s", a.status, a.body)
		}
		f := incidentsCSV("CSRF", 3, 0)
		body, ct := multipartBody(t, []upFile{{"vu_viec.csv", f.body}}, nil)
		a = deskDo(t, client, http.MethodPost, s.base+"/api/v1/admin/uploads?dry_run=1", "", body, ct)
		if a.status != http.StatusForbidden || !strings.Contains(string(a.body), "CSRF") {
			t.Fatalf("cookie POST without X-CSRF-Token: %d %s, want 403 naming CSRF", a.status, a.body)
		}
		body, ct = multipartBody(t, []upFile{{"vu_viec.csv", f.body}}, nil)
		a = deskDo(t, client, http.MethodPost, s.base+"/api/v1/admin/uploads?dry_run=1", "", body, ct, "X-CSRF-Token", "0123456789abcdef0123456789abcdef")
		if a.status != http.StatusForbidden {
			t.Fatalf("cookie POST with a wrong token: %d %s, want 403", a.status, a.body)
		}
		// The token of /api/v1/session works; so does DELETE with it.
		a = deskDo(t, client, http.MethodGet, s.base+"/api/v1/session", "", nil, "")
		json.Unmarshal(a.body, &sess)
		body, ct = multipartBody(t, []upFile{{"vu_viec.csv", f.body}}, nil)
		a = deskDo(t, client, http.MethodPost, s.base+"/api/v1/admin/uploads?dry_run=1", "", body, ct, "X-CSRF-Token", sess.CSRF)
		if a.status != http.StatusOK || a.batch.Status != desk.StatusPreview {
			t.Fatalf("cookie POST with the session's token: %d %s", a.status, a.body)
		}
		if d := deskDo(t, client, http.MethodDelete, s.base+"/api/v1/admin/batches/"+a.batch.ID, "", nil, ""); d.status != http.StatusForbidden {
			t.Errorf("cookie DELETE without the token: %d, want 403", d.status)
		}
		if d := deskDo(t, client, http.MethodDelete, s.base+"/api/v1/admin/batches/"+a.batch.ID, "", nil, "", "X-CSRF-Token", sess.CSRF); d.status != http.StatusOK {
			t.Errorf("cookie DELETE (cancel the preview) with the token: %d %s", d.status, d.body)
		}
	})

	t.Run("oversized file and request are 413 with a message", func(t *testing.T) {
		big := bytes.Repeat([]byte("Mã vụ việc,Xã/Phường\n"), (3<<20)/21) // 1.5 MiB > --upload-max-mb 1
		a := s.upload(t, ed08, "dry_run=1", []upFile{{"lon.csv", big[:3<<19]}}, nil)
		if a.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(a.body), "giới hạn 1 MB") || !strings.Contains(string(a.body), "lon.csv") {
			t.Errorf("file past --upload-max-mb: %d %s", a.status, a.body)
		}
		// A request announcing more than --upload-max-request-mb is refused
		// after its first bytes.
		status, raw := rawPost(t, s.base, "/api/v1/admin/uploads", ed08, "multipart/form-data; boundary=b", int64(10)<<30)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(raw, "3 MB") {
			t.Errorf("10 GiB request: %d %s", status, raw)
		}
		// A large body on another route is refused too (the server streams
		// request bodies; the 1 MiB limit stays on every other route).
		if status, raw := rawPost(t, s.base, "/api/v1/login", "", "application/json", 2<<20); status != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB login body: %d %s, want 413", status, raw)
		}
		if resp, err := http.Get(s.base + "/readyz"); err != nil || resp.StatusCode != 200 {
			t.Fatalf("server harmed: %v", err)
		}
	})

	t.Run("XLSX bombs are 400 with a message", func(t *testing.T) {
		for _, tc := range []struct {
			name, want string
			body       []byte
		}{
			{"bomb.xlsx", "khi giải nén lớn hơn", zipAnnouncing(t, 3<<30, "")},
			{"nhieu_dong.xlsx", "quá giới hạn 20.000.000 dòng", zipAnnouncing(t, 0, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:K30000000"/><sheetData/></worksheet>`)},
			{"gia.xlsx", "không phải bảng tính .xlsx", []byte("Mã vụ việc,Xã/Phường\n1,2\n")},
			{"anh.csv", "nội dung là ảnh", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)},
			{"bao_cao.pdf", "chỉ nhận tệp", []byte("%PDF-1.4")},
		} {
			a := s.upload(t, ed08, "dry_run=1", []upFile{{tc.name, tc.body}}, nil)
			if a.status != http.StatusBadRequest || !strings.Contains(string(a.body), tc.want) || !strings.Contains(string(a.body), tc.name) {
				t.Errorf("%s: %d %s, want 400 with %q", tc.name, a.status, a.body, tc.want)
			}
		}
		if resp, err := http.Get(s.base + "/readyz"); err != nil || resp.StatusCode != 200 {
			t.Fatalf("server harmed: %v", err)
		}
		entries, _ := os.ReadDir(filepath.Join(data, "uploads"))
		for _, e := range entries {
			if files, _ := os.ReadDir(filepath.Join(data, "uploads", e.Name(), "files")); len(files) > 0 {
				if _, err := os.Stat(filepath.Join(data, "uploads", e.Name(), "batch.json")); err != nil {
					t.Errorf("a refused upload left files in %s", e.Name())
				}
			}
		}
	})

	var first desk.Batch
	var firstFile incidentsFile
	t.Run("editor: rows of another province are rejected, batches of other provinces hidden", func(t *testing.T) {
		firstFile = incidentsCSV("ED08", 40, 7)
		pv := s.upload(t, ed08, "dry_run=1", []upFile{{"vu_viec_ed08.csv", firstFile.body}}, nil)
		if pv.status != 200 || pv.batch.Preview == nil {
			t.Fatalf("preview: %d %s", pv.status, pv.body)
		}
		if got := pv.batch.Preview.Counts; got.Read != firstFile.read || got.Loaded != firstFile.validIn08 || got.Rejected != firstFile.rejected+firstFile.validIn25 {
			t.Errorf("preview counts %+v; want read %d, would load %d, rejected %d", got, firstFile.read, firstFile.validIn08, firstFile.rejected+firstFile.validIn25)
		}
		a := deskDo(t, nil, http.MethodPost, s.base+"/api/v1/admin/batches/"+pv.batch.ID+"/confirm?wait=1", ed08, nil, "")
		if a.status != 200 || a.batch.Status != desk.StatusDone {
			t.Fatalf("confirm: %d %s", a.status, a.body)
		}
		first = a.batch
		want := analytics.BatchCounts{Read: firstFile.read, Loaded: firstFile.validIn08, Rejected: firstFile.rejected + firstFile.validIn25}
		if counts(a.batch) != want || a.batch.Progress.Percent != 100 {
			t.Errorf("counts %+v, progress %+v; want %+v and 100 %%", counts(a.batch), a.batch.Progress, want)
		}
		var rj struct {
			Rejects []desk.RejectRow
			Total   int
		}
		r := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches/"+first.ID+"/rejects", ed08, nil, "")
		json.Unmarshal(r.body, &rj)
		other := 0
		for _, x := range rj.Rejects {
			if strings.Contains(x.Reason, "thuộc tỉnh 25") && strings.Contains(x.Reason, "không được cấp quyền") {
				other++
			}
		}
		if rj.Total != want.Rejected || other != firstFile.validIn25 {
			t.Errorf("rejects: %d rows, %d of province 25 with the reason; want %d and %d:\n%s", rj.Total, other, want.Rejected, firstFile.validIn25, r.body)
		}
		// The editor of Phú Thọ does not see it, nor undo it.
		var list struct{ Batches []desk.Batch }
		json.Unmarshal(deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches", ed25, nil, "").body, &list)
		for _, b := range list.Batches {
			if b.ID == first.ID {
				t.Errorf("the editor of 25 lists batch %s of 08", first.ID)
			}
		}
		if a := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches/"+first.ID, ed25, nil, ""); a.status != http.StatusForbidden {
			t.Errorf("editor of 25 reads the batch of 08: %d", a.status)
		}
		if a := deskDo(t, nil, http.MethodDelete, s.base+"/api/v1/admin/batches/"+first.ID, ed25, nil, ""); a.status != http.StatusForbidden {
			t.Errorf("editor of 25 undoes the batch of 08: %d", a.status)
		}
		if a := s.upload(t, ed25, "dry_run=1&province=08", []upFile{{"x.csv", firstFile.body}}, nil); a.status != http.StatusForbidden {
			t.Errorf("editor of 25 uploads with province=08: %d", a.status)
		}
		json.Unmarshal(deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches", ed08, nil, "").body, &list)
		if len(list.Batches) == 0 || list.Batches[0].ID != first.ID {
			t.Errorf("the editor of 08 does not list its batch first: %+v", list.Batches)
		}
	})

	t.Run("two uploads at once both complete with exact counts", func(t *testing.T) {
		files := []incidentsFile{incidentsCSV("HAI-A", 3000, 0), incidentsCSV("HAI-B", 2500, 0)}
		answers := make([]deskAnswer, 2)
		var wg sync.WaitGroup
		for i := range files {
			wg.Go(func() {
				answers[i] = s.upload(t, admin, "wait=1", []upFile{{fmt.Sprintf("vu_viec_%d.csv", i), files[i].body}}, nil)
			})
		}
		wg.Wait()
		for i, a := range answers {
			want := analytics.BatchCounts{Read: files[i].read, Loaded: files[i].valid, Rejected: files[i].rejected}
			if a.status != 200 || a.batch.Status != desk.StatusDone || counts(a.batch) != want {
				t.Errorf("upload %d: %d %s %+v; want done with %+v", i, a.status, a.batch.Status, counts(a.batch), want)
			}
		}
		if answers[0].batch.ID == answers[1].batch.ID {
			t.Error("two uploads share a batch id")
		}
	})

	t.Run("undo, and the same file loads again exactly", func(t *testing.T) {
		a := deskDo(t, nil, http.MethodDelete, s.base+"/api/v1/admin/batches/"+first.ID, ed08, nil, "")
		var undo struct {
			Batch   desk.Batch
			Removed map[string]uint64
		}
		json.Unmarshal(a.body, &undo)
		if a.status != 200 || undo.Removed["incidents"] != uint64(firstFile.validIn08) || undo.Batch.Status != desk.StatusUndone {
			t.Fatalf("undo: %d %s", a.status, a.body)
		}
		if a := deskDo(t, nil, http.MethodDelete, s.base+"/api/v1/admin/batches/"+first.ID, ed08, nil, ""); a.status != http.StatusConflict {
			t.Errorf("second undo: %d, want 409", a.status)
		}
		// The kept files of the batch, run again: a new batch, previewed.
		re := deskDo(t, nil, http.MethodPost, s.base+"/api/v1/admin/batches/"+first.ID+"/rerun", ed08, nil, "")
		if re.status != 200 || re.batch.Status != desk.StatusPreview || re.batch.ID == first.ID || re.batch.Files[0].SHA256 != first.Files[0].SHA256 {
			t.Fatalf("rerun: %d %s", re.status, re.body)
		}
		again := deskDo(t, nil, http.MethodPost, s.base+"/api/v1/admin/batches/"+re.batch.ID+"/confirm?wait=1", ed08, nil, "")
		if c := counts(again.batch); again.status != 200 || c.Loaded != firstFile.validIn08 || c.Duplicates != 0 {
			t.Errorf("after the undo the batch run again loads %+v, want %d loaded and no duplicates", c, firstFile.validIn08)
		}
	})

	t.Run("templates and rejects XLSX", func(t *testing.T) {
		for _, k := range []string{"models", "sites", "grades", "incidents"} {
			a := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/templates/"+k+".xlsx", ed08, nil, "")
			if a.status != 200 || !bytes.HasPrefix(a.body, []byte("PK")) {
				t.Errorf("template %s: %d", k, a.status)
			}
		}
	})

	t.Run("the audit log has uploads and undo with files, SHA-256 and counts", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(data, "audit.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var done, undo bool
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, `"event":"upload_done"`) && strings.Contains(line, first.ID) && strings.Contains(line, "vu_viec_ed08.csv") &&
				strings.Contains(line, first.Files[0].SHA256) && strings.Contains(line, fmt.Sprintf(`\"loaded\":%d`, firstFile.validIn08)) {
				done = true
			}
			if strings.Contains(line, `"event":"undo"`) && strings.Contains(line, `"user":"nhaplieu08"`) && strings.Contains(line, first.ID) && strings.Contains(line, first.Files[0].SHA256) {
				undo = true
			}
		}
		if !done || !undo || len(first.Files[0].SHA256) != 64 {
			t.Errorf("audit log: upload_done %v, undo %v:\n%s", done, undo, raw)
		}
	})
	if strings.Contains(s.logText(), "panic") {
		t.Errorf("the server panicked:\n%s", s.logText())
	}
}

// rawPost sends a POST announcing length bytes but sending only its first
// 64 KiB, and reads the answer (the server must answer without the rest).
func rawPost(tb testing.TB, base, path, token, ctype string, length int64) (int, string) {
	tb.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\n%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n", path, auth, ctype, length)
	c.Write(make([]byte, 64<<10))
	c.SetReadDeadline(time.Now().Add(time.Minute)) // a hang guard
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		tb.Fatalf("POST %s of %d bytes: %v", path, length, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// zipAnnouncing is a workbook whose zip directory announces a sheet of
// unzipped bytes (written raw: the directory says what a zip bomb's says),
// or, when sheet is given, that sheet as it is.
func zipAnnouncing(tb testing.TB, unzipped uint64, sheet string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, _ := zw.Create(name)
		io.WriteString(w, content)
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	if sheet != "" {
		add("xl/worksheets/sheet1.xml", sheet)
	} else {
		data := []byte("<worksheet/>")
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
			CompressedSize64: uint64(len(data)), UncompressedSize64: unzipped})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

// TestDeskServerKilledDuringLoad: `antq serve` killed (SIGKILL) while it
// loads an upload; at the next start the batch is marked failed and what
// it wrote is taken back, so the same file uploaded again loads exactly.
func TestDeskServerKilledDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := deskBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	token := addDeskUser(t, bin, data, "quantri", "admin", "all", "mật khẩu đủ dài 123")
	rows := envInt(t, "ANTQ_DESK_KILL_ROWS", 300_000)
	var f incidentsFile
	var killed string
	for attempt := 0; attempt < 4 && killed == ""; attempt, rows = attempt+1, rows*2 {
		s := startDesk(t, bin, data, "--upload-max-mb", "400", "--upload-max-request-mb", "400")
		f = incidentsCSV(fmt.Sprintf("KILL%d", attempt), rows, 0)
		a := s.upload(t, token, "", []upFile{{"vu_viec_lon.csv", f.body}}, nil)
		if a.status != http.StatusAccepted {
			t.Fatalf("upload: %d %s", a.status, a.body)
		}
		id := a.batch.ID
		// Kill once the load has read a good part of the file (rows are
		// written while it reads), before it ends.
		for deadline := time.Now().Add(5 * time.Minute); ; {
			b := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches/"+id, token, nil, "").batch
			if b.Status == desk.StatusRunning && b.Progress.Rows >= b.Progress.Total/3 {
				s.kill()
				killed = id
				break
			}
			if b.Status == desk.StatusDone || b.Status == desk.StatusFailed {
				// Too fast to catch: take it back and try a larger file.
				deskDo(t, nil, http.MethodDelete, s.base+"/api/v1/admin/batches/"+id, token, nil, "")
				s.stop()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the load never ran: %+v\n%s", b, s.logText())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if killed == "" {
		t.Fatal("every load ended before the server could be killed")
	}
	s := startDesk(t, bin, data, "--upload-max-mb", "400", "--upload-max-request-mb", "400")
	b := deskDo(t, nil, http.MethodGet, s.base+"/api/v1/admin/batches/"+killed, token, nil, "").batch
	if b.Status != desk.StatusFailed || !strings.Contains(b.Message, "máy chủ đã dừng") {
		t.Fatalf("after the restart the killed batch is %q (%s), want failed", b.Status, b.Message)
	}
	a := s.upload(t, token, "wait=1", []upFile{{"vu_viec_lon.csv", f.body}}, nil)
	want := analytics.BatchCounts{Read: f.read, Loaded: f.valid, Rejected: f.rejected}
	if a.status != 200 || counts(a.batch) != want {
		t.Fatalf("the file uploaded again: %d %+v, want %+v", a.status, counts(a.batch), want)
	}
	s.stop()
	ctx := context.Background()
	store, err := chstore.Open(ctx, chstore.Config{DataDir: data, LibPath: testLibCHDB(t), QueryTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := store.Count(ctx, analytics.KindIncidents, "")
	if err != nil {
		t.Fatal(err)
	}
	if n != uint64(f.valid) {
		t.Errorf("the store holds %d incidents, want exactly %d", n, f.valid)
	}
}
