package openapi

import (
	"slices"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/ogc"
)

// The parameters the routes share, and the GET operations of /api and
// /ogc with theirs.

var (
	pProvince    = required(qp("province", "Mã tỉnh 2025 hai chữ số (08 Tuyên Quang, 25 Phú Thọ, …) hoặc all (toàn quốc) / two-digit 2025 province code, or all", map[string]any{"type": "string", "pattern": "^([0-9]{2}|all)$"}))
	pProvinceOne = required(qp("province", "Mã tỉnh 2025 hai chữ số hoặc all / two-digit 2025 province code, or all", map[string]any{"type": "string", "pattern": "^([0-9]{2}|all)$"}))
	pMetric      = qp("metric", "Mã chỉ tiêu (mặc định sites) / metric id (default sites); see /api/v1/metrics", str(analytics.MetricIDs()...))
	pPeriod      = qp("period", "Kỳ số liệu, mặc định kỳ trọn vẹn gần nhất có số liệu (năm công an, rồi 6 tháng, rồi quý); kỳ chưa kết thúc được tính đến hôm nay và đánh dấu partial / period, default the latest complete period with data (police year, else half, else quarter); a period not over runs to today and is marked partial: "+analytics.PeriodForms, str())
	pFrom        = qp("from", "Từ ngày YYYY-MM-DD (thay cho period, tính cả ngày này) / first day, instead of period", map[string]any{"type": "string", "format": "date"})
	pTo          = qp("to", "Đến ngày YYYY-MM-DD (tính cả ngày này) / last day, inclusive", map[string]any{"type": "string", "format": "date"})
	pCompare     = qp("compare", "Kỳ so sánh: prev (cùng kỳ năm trước) hoặc bất kỳ kỳ nào như period (2022); khi kỳ hiện tại chưa kết thúc, kỳ so sánh được cắt cùng độ dài / comparison period: prev (same period last year) or any period (2022); cut to the same elapsed span when the period is not over", str())
	pLevel       = qp("level", "Đơn vị bản đồ: commune (mặc định) hoặc province (34 tỉnh, chỉ với province=all) / map unit: commune (default) or province (the 34 provinces, with province=all only)", str(geo.LevelCommune, geo.LevelProvince))
	pSimplify    = qp("simplify", "Mức đơn giản hóa ranh giới (mặc định medium; low cho toàn quốc) / boundary level (default medium; low for all)", str("full", "medium", "low"))
	pCommune     = qp("commune", "Mã xã 2025 (5 chữ số) / 2025 commune code", map[string]any{"type": "string", "pattern": "^[0-9]{5}$"})
	pLimit       = qp("limit", "Số xã tối đa (0 = tất cả; mặc định 10) / at most this many communes (0 = all; default 10)", map[string]any{"type": "integer", "minimum": 0, "maximum": 5000, "default": 10})
	pModelType   = qp("model_type", "Loại mô hình / model type", str())
	pSector      = qp("sector", "Lĩnh vực / sector", str(analytics.Sectors...))
	pBreakdownBy = required(qp("by", "Chiều phân tích / dimension (model_type, sector: active sites; grade: graded sites; category, outcome: incidents)", str(analytics.BreakdownDims...)))
	pSeriesBy    = qp("by", "Kỳ của chuỗi theo lịch công an (15 → 14) / bucket, police calendar (default year)", str(analytics.Buckets...))
	pSeriesFrom  = qp("from", "Năm công an (2022) hoặc ngày YYYY-MM-DD; mặc định năm đầu tiên có số liệu / a police year or a day; default the first year with data", str())
	pSeriesTo    = qp("to", "Năm công an hoặc ngày YYYY-MM-DD (tính cả ngày); mặc định năm cuối có số liệu / a police year or a day (inclusive); default the last year with data", str())

	pF          = qp("f", "Định dạng: json / encoding: json", str("json"))
	pBBox       = param{Name: "bbox", In: "query", Description: "minLon,minLat,maxLon,maxLat (CRS84)", Schema: map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}}, Style: "form", Explode: new(bool)}
	pOGCLimit   = qp("limit", "Số đối tượng tối đa mỗi trang / features per page", map[string]any{"type": "integer", "minimum": 1, "maximum": ogc.MaxLimit, "default": ogc.DefaultLimit})
	pOffset     = qp("offset", "Bỏ qua bao nhiêu đối tượng / features to skip", map[string]any{"type": "integer", "minimum": 0, "default": 0})
	pDatetime   = qp("datetime", "Kỳ số liệu: ngày hoặc khoảng RFC 3339 a/b (.. = để mở) / window: a date or an interval", str())
	pOGCProv    = qp("province", "Lọc theo tỉnh / filter by province", map[string]any{"type": "string", "pattern": "^([0-9]{2}|all)$"})
	pOGCMetric  = qp("metric", "Các chỉ tiêu đưa vào thuộc tính, cách nhau bởi dấu phẩy (mặc định "+ogc.DefaultMetrics+") / comma-separated metrics to add as properties", str())
	pCollection = param{Name: "collectionId", In: "path", Description: "communes | sites", Required: true, Schema: str("communes", "sites")}
)

var csvParamsDoc = []param{
	qp("lang", "Ngôn ngữ trang: vi (mặc định: dấu ; và dấu phẩy thập phân) hoặc en (dấu , và dấu chấm) / page language: vi (default: ';' and decimal comma) or en (',' and decimal point)", str("vi", "en")),
	qp("sep", "Dấu phân cách cột / column separator", str(";", ",", "tab")),
	qp("decimal", "Dấu thập phân / decimal mark", str(",", ".")),
}

var mapParamsDoc = []param{pProvince, pMetric, pPeriod, pFrom, pTo, pCompare, pSimplify, pLevel}

var apiDocs = []operation{
	{path: "/api/v1/session", tag: "access", summary: "Phiên đăng nhập hiện tại / who this request is signed in as", contentType: ContentJSON},
	{path: "/api/v1/admin/users", tag: "access", summary: "Người dùng (quản trị) / users (admin only)", contentType: ContentJSON},
	{path: "/api/v1/provinces", tag: "reference", summary: "Tỉnh, thành phố 2025 / 2025 provinces", contentType: ContentJSON},
	{path: "/api/v1/communes", tag: "reference", summary: "Xã, phường, đặc khu của một tỉnh / communes of a province", contentType: ContentJSON,
		params: []param{pProvince}},
	{path: "/api/v1/communes/{code}", tag: "reference", summary: "Một xã: mọi chỉ tiêu, mô hình, điểm mô hình, quy đổi / one commune: every metric, models, sites, restatement", contentType: ContentJSON,
		params: []param{pathParam("code", "Mã xã 2025 / 2025 commune code"), pPeriod, pFrom, pTo}},
	{path: "/api/v1/figures", tag: "reference", summary: "Số liệu công khai của một xã: mọi chỉ tiêu, hạng, số toàn tỉnh / a commune's public figures: every metric, rank, province figure", contentType: ContentJSON,
		description: "What a viewer (and an anonymous visitor of a --public server) may read of one commune: the metrics of /api/v1/communes/{code} without models, sites or restatement, which need the analyst role.",
		params:      []param{required(pCommune), pPeriod, pFrom, pTo}},
	{path: "/api/v1/metrics", tag: "reference", summary: "Danh mục chỉ tiêu / the metric catalogue", contentType: ContentJSON},
	{path: "/api/v1/map.geojson", tag: "maps", summary: "Bản đồ chỉ tiêu theo xã (GeoJSON RFC 7946) / choropleth of a metric by commune", contentType: geo.ContentType,
		description: "One feature per 2025 commune, or per province with level=province; properties code, name, value, rank, class; with compare also value_compare, delta, delta_pct. A commune without a value has value null and reason no_reports (its province reported nothing of the kind for the window), period_not_started, partial_period, not_applicable (no denominator) or insufficient_components (the composite index: components_missing lists them); it has no rank or class and is left out of totals. The foreign member antq holds the window(s) (partial when the period is not over), the metric, the class breaks (method quantile or values, labels, colours, the no-data entry), province totals (with reason and message_vi when the province has no data) and the synthetic flag.",
		params:      mapParamsDoc},
	{path: "/api/v1/sites.geojson", tag: "maps", summary: "Điểm mô hình đang hoạt động (điểm) / active sites as points", contentType: geo.ContentType,
		params: []param{pProvince, pPeriod, pFrom, pTo, pModelType, pSector, pCommune}},
	{path: "/api/v1/series", tag: "charts", summary: "Chuỗi thời gian theo kỳ công an / time series by police period", contentType: ContentJSON,
		params: []param{pProvinceOne, pMetric, pSeriesFrom, pSeriesTo, pSeriesBy, pCommune}},
	{path: "/api/v1/breakdown", tag: "charts", summary: "Cơ cấu theo loại, lĩnh vực, xếp loại, nhóm, kết quả / shares", contentType: ContentJSON,
		params: []param{pProvince, pBreakdownBy, pMetric, pPeriod, pFrom, pTo, pCommune}},
	{path: "/api/v1/ranking", tag: "charts", summary: "Xếp hạng xã / communes ranked", contentType: ContentJSON,
		params: []param{pProvince, pMetric, pPeriod, pFrom, pTo, pCompare, pLimit}},
	{path: "/api/v1/summary", tag: "charts", summary: "Số liệu chính với câu chữ tiếng Việt / headline figures", contentType: ContentJSON,
		params: []param{pProvince, pPeriod, pFrom, pTo, pCompare}},
	{path: "/api/v1/findings", tag: "charts", summary: "Điểm cần chú ý: các phát hiện xếp theo mức độ / findings for leaders, ranked", contentType: ContentJSON,
		description: "Ranked findings (coverage, change, outlier, reporting_gap, models, data_quality), each with a Vietnamese sentence (English with lang=en), the communes or models concerned, the figures behind it, its window, method and a link (query string) to the view that shows it. Thresholds and methods: the package analytics/finding, echoed in thresholds.",
		params:      []param{required(qp("province", "Mã tỉnh 2025 hai chữ số / two-digit 2025 province code", map[string]any{"type": "string", "pattern": "^[0-9]{2}$"})), pPeriod, pFrom, pTo, pCompare, qp("lang", "Ngôn ngữ của câu (mặc định vi) / language of the sentence (default vi)", str("vi", "en"))}},
	{path: "/api/v1/export.csv", tag: "exports", summary: "Bảng số liệu theo xã (CSV UTF-8 có BOM) / the commune table as CSV", contentType: ContentCSV,
		description: "UTF-8 with a byte-order mark. By default for Excel with Vietnamese settings: ';' separator and ',' decimals; lang=en gives ',' and '.'; sep and decimal override. Codes are written as =\"00691\" so Excel and LibreOffice keep their leading zeros.",
		params:      append(slices.Clone(mapParamsDoc), csvParamsDoc...)},
	{path: "/api/v1/export.xlsx", tag: "exports", summary: "Bảng số liệu theo xã (Excel) / the commune table as XLSX", contentType: ContentXLSX,
		params: mapParamsDoc},
	{path: "/api/v1/embed-link", tag: "charts", summary: "Liên kết nhúng có chữ ký, có hạn / a signed, expiring embed link for one chart", contentType: ContentJSON,
		params: append([]param{required(qp("chart", "map | delta | trend | breakdown | ranking", str("map", "delta", "trend", "breakdown", "ranking"))),
			qp("days", "Số ngày hiệu lực (1–366, mặc định 30) / days the link is valid", map[string]any{"type": "integer", "minimum": 1, "maximum": 366})}, mapParamsDoc...)},
	{path: "/api/v1/briefing.pptx", tag: "exports", summary: "Bộ slide báo cáo PowerPoint / the briefing deck (PPTX)",
		contentType: ContentPPTX,
		params:      []param{pProvince, pPeriod, pFrom, pTo, pCompare, pMetric}},
	{path: "/openapi.json", tag: "ogc", summary: "Tài liệu OpenAPI này / this OpenAPI document", contentType: ContentType},
	{path: "/ogc", tag: "ogc", summary: "OGC API – Features: trang đầu / landing page", contentType: ogc.ContentJSON, params: []param{pF}},
	{path: "/ogc/conformance", tag: "ogc", summary: "Lớp phù hợp / conformance classes", contentType: ogc.ContentJSON, params: []param{pF}},
	{path: "/ogc/collections", tag: "ogc", summary: "Các lớp dữ liệu / collections", contentType: ogc.ContentJSON, params: []param{pF}},
	{path: "/ogc/collections/{collectionId}", tag: "ogc", summary: "Một lớp dữ liệu / one collection", contentType: ogc.ContentJSON, params: []param{pCollection, pF}},
	{path: "/ogc/collections/{collectionId}/schema", tag: "ogc", summary: "Lược đồ JSON của đối tượng (thuộc tính có kiểu) / JSON Schema of the features (typed properties)", contentType: ogc.ContentSchema, params: []param{pCollection, pF}},
	{path: "/ogc/collections/{collectionId}/queryables", tag: "ogc", summary: "Thuộc tính dùng để lọc / queryables", contentType: ogc.ContentSchema, params: []param{pCollection, pF}},
	{path: "/ogc/collections/{collectionId}/items", tag: "ogc", summary: "Đối tượng của lớp / features", contentType: "application/geo+json",
		params: []param{pCollection, pBBox, pOGCLimit, pOffset, pDatetime, pOGCProv, pOGCMetric, pPeriod, pSimplify, pF}},
	{path: "/ogc/collections/{collectionId}/items/{featureId}", tag: "ogc", summary: "Một đối tượng / one feature", contentType: "application/geo+json",
		params: []param{pCollection, pathParam("featureId", "communes: mã xã; sites: <mã xã>_<khóa> / communes: code; sites: <commune>_<key>"), pDatetime, pOGCMetric, pPeriod, pSimplify, pF}},
}
