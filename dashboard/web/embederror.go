package web

import (
	"bytes"
	"html/template"
)

// EmbedProblem is why an embed link shows no chart: the page an iframe
// shows instead of the API's JSON error, Vietnamese first.
type EmbedProblem struct {
	Title, Text     string // Vietnamese
	TitleEN, TextEN string
}

// The problems of an embed link: expired, changed or cut (broken), or
// naming no chart (unknown).
var (
	EmbedExpired = EmbedProblem{
		Title:   "Liên kết nhúng đã hết hạn",
		Text:    "Biểu đồ này được chia sẻ có thời hạn và thời hạn đã qua. Xin người gửi tạo liên kết mới bằng nút «Nhúng» trên trang ANTQ Atlas.",
		TitleEN: "This embed link has expired",
		TextEN:  "The chart was shared for a limited time, which is over. Ask the sender for a new link (the «Nhúng» button on the ANTQ Atlas page).",
	}
	EmbedBroken = EmbedProblem{
		Title:   "Liên kết nhúng không hợp lệ",
		Text:    "Liên kết đã bị sửa hoặc sao chép thiếu nên không mở được biểu đồ. Xin người gửi gửi lại liên kết đầy đủ.",
		TitleEN: "This embed link is not valid",
		TextEN:  "The link was changed or copied in part, so the chart cannot be shown. Ask the sender for the whole link.",
	}
	EmbedUnknown = EmbedProblem{
		Title:   "Không có biểu đồ này",
		Text:    "Liên kết nhúng chỉ tới một biểu đồ không tồn tại. Xin người gửi kiểm tra lại liên kết.",
		TitleEN: "No such chart",
		TextEN:  "The embed link names a chart that does not exist. Ask the sender to check the link.",
	}
)

// embedErrorTmpl is a whole page with no script and no inline style (the
// embed CSP applies); it uses the page's stylesheet.
var embedErrorTmpl = template.Must(template.New("embed-error").Parse(`<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — ANTQ Atlas</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="embed embed-error">
<main class="embed-problem" role="alert">
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
<p class="sub" lang="en">{{.TitleEN}}. {{.TextEN}}</p>
</main>
</body>
</html>
`))

// EmbedErrorPage renders the page of a problem: a whole page with no
// script and no inline style, under the embed CSP.
func EmbedErrorPage(p EmbedProblem) []byte {
	var b bytes.Buffer
	if err := embedErrorTmpl.Execute(&b, p); err != nil {
		// The template and its data are fixed: this cannot fail at run time.
		panic(err)
	}
	return b.Bytes()
}
