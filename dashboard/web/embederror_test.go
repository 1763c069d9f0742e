package web

import (
	"strings"
	"testing"
)

// TestEmbedErrorPage: each problem's page is whole, says the problem in
// Vietnamese and English, escapes its text, and has no script or inline
// style (the embed CSP allows neither).
func TestEmbedErrorPage(t *testing.T) {
	tests := []struct {
		name string
		p    EmbedProblem
		want []string
	}{
		{"expired", EmbedExpired, []string{"<title>Liên kết nhúng đã hết hạn — ANTQ Atlas</title>", "This embed link has expired.", `lang="en"`}},
		{"broken", EmbedBroken, []string{"<h1>Liên kết nhúng không hợp lệ</h1>", "This embed link is not valid."}},
		{"unknown", EmbedUnknown, []string{"<h1>Không có biểu đồ này</h1>", "No such chart."}},
		{"escaped", EmbedProblem{Title: `<b>"x"</b>`, TitleEN: "a & b"}, []string{"<h1>&lt;b&gt;&#34;x&#34;&lt;/b&gt;</h1>", "a &amp; b."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := string(EmbedErrorPage(tt.p))
			if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>\n") {
				t.Errorf("not a whole page:\n%s", page)
			}
			for _, w := range append(tt.want, `href="/assets/app.css"`, `role="alert"`) {
				if !strings.Contains(page, w) {
					t.Errorf("the page lacks %q:\n%s", w, page)
				}
			}
			for _, bad := range []string{"<script", "style="} {
				if strings.Contains(page, bad) {
					t.Errorf("the page has %q", bad)
				}
			}
		})
	}
}
