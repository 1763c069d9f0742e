package openapi

import "strings"

// deskDocs describe the data desk's routes (deskapi.go) in /openapi.json.
var deskDocs = []struct {
	method, path, summary, description, contentType string
	params                                          []param
	body                                            map[string]any
	status                                          string
}{
	{method: "get", path: "/api/v1/admin/uploads", summary: "Giới hạn tải lên và tỉnh được cấp / upload limits and the caller's provinces (editor)", contentType: ContentJSON, status: "200"},
	{method: "post", path: "/api/v1/admin/uploads", summary: "Tải lên tệp báo cáo để xem trước hoặc nạp / upload report files to preview or load (editor)", contentType: ContentJSON, status: "202",
		description: "multipart/form-data: one or more file parts (CSV, XLSX, JSON Lines; at most --upload-max-mb each, --upload-max-request-mb in all: 413 beyond; an XLSX is checked for its unzipped size and the rows its sheets announce before reading: 400), optional kind, province, district (as antq ingest --kind, --province, --district; also as query parameters). dry_run=1 answers the preview (header rows, column mapping, context, the first 20 rows as stored, counts) and keeps the files: POST /api/v1/admin/batches/{id}/confirm loads them, DELETE cancels. Otherwise the load is queued (202) and GET /api/v1/admin/batches/{id} follows it; wait=1 answers when it is over. An editor's rows of a province not granted are rejected with that reason. A session cookie needs X-CSRF-Token (from /api/v1/session); API tokens do not.",
		params: []param{qp("dry_run", "1: chỉ xem trước, chưa ghi / preview only, write nothing", str("0", "1")), qp("wait", "1: trả lời khi nạp xong / answer when the load is over", str("0", "1")),
			qp("kind", "Loại dữ liệu của mọi tệp / kind of every file", str("models", "sites", "grades", "incidents")), qp("province", "Tỉnh của các tệp (mã hoặc tên) / the files' province", str()), qp("district", "Huyện (số liệu trước 1/7/2025) / district", str())},
		body: map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{
			"file": map[string]any{"type": "array", "items": map[string]any{"type": "string", "format": "binary"}}, "kind": str(), "province": str(), "district": str()}}}}}},
	{method: "get", path: "/api/v1/admin/batches", summary: "Lịch sử nạp: các lô của tỉnh được cấp / batches of the granted provinces, newest first (editor)", contentType: ContentJSON, status: "200"},
	{method: "get", path: "/api/v1/admin/batches/{id}", summary: "Một lô: trạng thái, tiến độ, xem trước, kết quả / one batch: status, progress, preview, summary (editor)", contentType: ContentJSON, status: "200",
		params: []param{pathParam("id", "Mã lô / batch id")}},
	{method: "post", path: "/api/v1/admin/batches/{id}/confirm", summary: "Xác nhận nạp lô đã xem trước / load a previewed batch (editor; CSRF token with a cookie)", contentType: ContentJSON, status: "202",
		params: []param{pathParam("id", "Mã lô / batch id"), qp("wait", "1: trả lời khi nạp xong / answer when the load is over", str("0", "1"))}},
	{method: "post", path: "/api/v1/admin/batches/{id}/rerun", summary: "Nạp lại các tệp đã lưu của lô: một lô mới, xem trước / preview the batch's kept files again as a new batch (editor; CSRF token with a cookie)", contentType: ContentJSON, status: "200",
		params: []param{pathParam("id", "Mã lô / batch id")}},
	{method: "get", path: "/api/v1/admin/batches/{id}/rejects", summary: "Các dòng bị loại của lô (bảng) / the batch's rejected rows (row, field, value, reason, nearest communes; at most 5,000)", contentType: ContentJSON, status: "200",
		params: []param{pathParam("id", "Mã lô / batch id")}},
	{method: "get", path: "/api/v1/admin/batches/{id}/rejects.xlsx", summary: "Các dòng bị loại (Excel): cột gốc và lý do / rejected rows as XLSX: the original columns plus the reason", contentType: ContentXLSX, status: "200",
		params: []param{pathParam("id", "Mã lô / batch id")}},
	{method: "delete", path: "/api/v1/admin/batches/{id}", summary: "Hoàn tác lô (hoặc hủy bản xem trước) / undo a batch: its rows leave every figure, map, chart and export (or cancel a preview) (editor; CSRF token with a cookie)", contentType: ContentJSON, status: "200",
		params: []param{pathParam("id", "Mã lô / batch id")}},
	{method: "get", path: "/api/v1/admin/templates/{kind}", summary: "Mẫu nhập liệu (Excel) theo loại / the template of a kind (XLSX)", contentType: ContentXLSX, status: "200",
		params: []param{{Name: "kind", In: "path", Description: "models.xlsx | sites.xlsx | grades.xlsx | incidents.xlsx", Required: true, Schema: str("models.xlsx", "sites.xlsx", "grades.xlsx", "incidents.xlsx")}}},
}

// addDeskPaths adds the desk's operations to the document's paths.
func addDeskPaths(paths map[string]any, errResp map[string]any) {
	for _, op := range deskDocs {
		id := op.method + "_" + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(strings.TrimPrefix(op.path, "/"))
		o := map[string]any{
			"operationId": id,
			"summary":     op.summary,
			"tags":        []string{"desk"},
			"parameters":  op.params,
			"responses": map[string]any{
				op.status: map[string]any{"description": "OK", "content": map[string]any{op.contentType: map[string]any{}}},
				"400":     errResp, "401": errResp, "403": errResp, "404": errResp, "409": errResp, "413": errResp,
			},
		}
		if op.params == nil {
			o["parameters"] = []param{}
		}
		if op.description != "" {
			o["description"] = op.description
		}
		if op.body != nil {
			o["requestBody"] = op.body
		}
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		item[op.method] = o
	}
}
