package desk

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

func TestAuditDetail(t *testing.T) {
	files := []File{{Name: "a.csv", SHA256: "ab12", Size: 10}}
	tests := []struct {
		name  string
		b     Batch
		extra map[string]any
		want  map[string]any
	}{
		{"a load", Batch{ID: "b1", Status: StatusDone, Files: files, Counts: Counts{Read: 3, Loaded: 2}}, nil,
			map[string]any{"batch": "b1", "status": "done", "files": []any{map[string]any{"name": "a.csv", "sha256": "ab12", "size": 10.0}}}},
		{"a preview has its counts", Batch{ID: "b2", Status: StatusPreview, Preview: &Preview{Counts: Counts{Read: 5}}}, nil,
			map[string]any{"batch": "b2", "status": "preview", "files": []any{}, "preview_counts": true}},
		{"a finished batch does not", Batch{ID: "b3", Status: StatusFailed, Preview: &Preview{Counts: Counts{Read: 5}}}, nil,
			map[string]any{"batch": "b3", "status": "failed", "files": []any{}}},
		{"extra members win", Batch{ID: "b4", Status: StatusDone}, map[string]any{"status": "refused", "error": "too large"},
			map[string]any{"batch": "b4", "status": "refused", "files": []any{}, "error": "too large"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]any
			if err := json.Unmarshal([]byte(tt.b.AuditDetail(tt.extra)), &got); err != nil {
				t.Fatal(err)
			}
			if _, ok := got["counts"]; !ok {
				t.Error("no counts")
			}
			delete(got, "counts")
			if _, ok := got["preview_counts"]; ok {
				got["preview_counts"] = true
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestRequestTooLargeAndScope(t *testing.T) {
	for _, tt := range []struct {
		limit int64
		want  string
	}{
		{200 << 20, "các tệp gửi một lần vượt giới hạn 200 MB / the files of one request exceed 200 MB (--upload-max-request-mb)"},
		{1000, "các tệp gửi một lần vượt giới hạn 1000 byte / the files of one request exceed 1000 byte (--upload-max-request-mb)"},
	} {
		if got := requestTooLarge(tt.limit).Error(); got != tt.want {
			t.Errorf("limit %d: %q, want %q", tt.limit, got, tt.want)
		}
	}
	for _, tt := range []struct {
		s    Scope
		p    analytics.ProvinceCode
		want bool
	}{
		{Scope{All: true}, "25", true},
		{Scope{Provinces: []analytics.ProvinceCode{"08"}}, "08", true},
		{Scope{Provinces: []analytics.ProvinceCode{"08"}}, "25", false},
		{Scope{}, "08", false},
	} {
		if got := tt.s.Can(tt.p); got != tt.want {
			t.Errorf("%+v.Can(%s) = %v", tt.s, tt.p, got)
		}
	}
}
