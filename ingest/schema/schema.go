package schema

import "github.com/antq-atlas/antq/analytics"

// Field is a canonical column of an input file.
type Field uint8

// The canonical fields, None for a column that names none. One field may
// mean a little more or less in each kind (ID is a model's own ID in a
// models file and a site's own ID in a sites file); Columns says which
// fields each kind has. NumFields counts them, None included.
const (
	None Field = iota
	ID
	Name
	Type
	Sector
	Level
	Host
	CommuneCode
	Commune
	District
	Province
	Founded
	Recognised
	Retired
	Advanced
	Exemplary
	ModelID
	ModelName
	SiteID
	SiteName
	Teams
	Members
	Year
	Grade
	Received
	Closed
	Category
	Outcome
	Tip
	TipUseful
	Lon
	Lat
	NumFields
)

// fieldNames are the names rejects and errors use for a field.
var fieldNames = [NumFields]string{
	ID: "id", Name: "name", Type: "type", Sector: "sector", Level: "level", Host: "host_unit",
	CommuneCode: "commune_code", Commune: "commune", District: "district", Province: "province",
	Founded: "founded", Recognised: "recognised", Retired: "retired", Advanced: "advanced",
	Exemplary: "exemplary", ModelID: "model_id", ModelName: "model_name", SiteID: "site_id",
	SiteName: "site_name", Teams: "teams", Members: "members", Year: "year", Grade: "grade",
	Received: "received", Closed: "closed", Category: "category", Outcome: "outcome", Tip: "tip",
	TipUseful: "tip_useful", Lon: "lon", Lat: "lat",
}

// String is the name rejects and errors use for f ("commune_code"); empty
// for None.
func (f Field) String() string {
	if f == None || f >= NumFields {
		return ""
	}
	return fieldNames[f]
}

// Column is one canonical column of a kind: its Vietnamese label (the header
// of templates), the other headers it is known by, and its documentation
// for the template's guide sheet. Headers are compared folded (case,
// diacritics and punctuation ignored), so "Xã/Phường", "xa phuong" and
// "XÃ - PHƯỜNG" are one alias.
type Column struct {
	Field    Field
	Label    string
	Aliases  []string
	Meaning  string
	Format   string
	Example  string
	Required bool // documented as required; the rules are in requires
}

// Place columns every kind has.
var placeColumns = []Column{
	{Field: CommuneCode, Label: "Mã xã", Aliases: []string{"Mã xã/phường", "Mã đơn vị hành chính", "Mã ĐVHC", "Mã phường", "commune code", "ward code", "commune id"},
		Meaning: "Mã xã/phường (mã 2025 hoặc mã cũ trước 01/7/2025); nếu có thì được ưu tiên hơn tên", Format: "5 chữ số", Example: ""},
	{Field: Commune, Label: "Xã/Phường", Aliases: []string{"Xã", "Phường", "Xã, phường", "Xã/Phường/Đặc khu", "Xã/Phường/Thị trấn", "Đơn vị hành chính cấp xã", "Địa bàn", "commune", "ward", "commune name", "ward name"},
		Meaning: "Tên xã/phường/đặc khu như đã ghi (trước hoặc sau sáp nhập 01/7/2025)", Format: "văn bản", Example: "Xã Hùng Lợi", Required: true},
	{Field: District, Label: "Huyện", Aliases: []string{"Quận/Huyện", "Huyện/Thành phố", "Huyện/Thị xã/Thành phố", "Huyện, thành phố", "Huyện, thị xã, thành phố", "Quận", "district"},
		Meaning: "Huyện (chỉ với dữ liệu trước 01/7/2025; giúp phân biệt xã trùng tên)", Format: "văn bản", Example: "Huyện Yên Sơn"},
	{Field: Province, Label: "Tỉnh", Aliases: []string{"Tỉnh/Thành phố", "Tỉnh/TP", "province"},
		Meaning: "Tỉnh", Format: "văn bản", Example: "Tuyên Quang"},
	{Field: Lon, Label: "Kinh độ", Aliases: []string{"lon", "lng", "long", "longitude", "x"},
		Meaning: "Kinh độ WGS84 (dùng để phân bổ xã bị chia tách)", Format: "số thập phân, ví dụ 105,2134", Example: "105,2134"},
	{Field: Lat, Label: "Vĩ độ", Aliases: []string{"lat", "latitude", "y"},
		Meaning: "Vĩ độ WGS84", Format: "số thập phân, ví dụ 21,8237", Example: "21,8237"},
}

var (
	colAdvanced = Column{Field: Advanced, Label: "Điển hình tiên tiến", Aliases: []string{"ĐHTT", "Điển hình", "advanced", "advanced example"},
		Meaning: "Được công nhận điển hình tiên tiến", Format: "có/không, x, 1/0", Example: "có"}
	colRetired = Column{Field: Retired, Label: "Ngày thanh loại", Aliases: []string{"Ngày dừng hoạt động", "Thanh loại", "retired", "retired on", "end date"},
		Meaning: "Ngày thanh loại (dừng hoạt động); để trống nếu còn hoạt động", Format: "dd/mm/yyyy", Example: ""}
	colSector = Column{Field: Sector, Label: "Lĩnh vực", Aliases: []string{"Lĩnh vực mô hình", "sector"},
		Meaning: "Lĩnh vực: khu dân cư, xã/phường, cơ quan/doanh nghiệp, cơ sở giáo dục, tôn giáo/dân tộc", Format: "một trong các lĩnh vực", Example: "khu dân cư"}
)

// columns lists the canonical columns of each kind, in template order.
var columns = map[analytics.Kind][]Column{
	analytics.KindModels: join([]Column{
		{Field: ID, Label: "Mã", Aliases: []string{"Mã mô hình", "ID", "Mã số", "model id", "model code", "code"},
			Meaning: "Mã mô hình do đơn vị đặt; giữ nguyên giữa các lần nạp", Format: "văn bản", Example: "MH-001"},
		{Field: Name, Label: "Tên mô hình", Aliases: []string{"Tên", "Tên MH", "name", "model name"},
			Meaning: "Tên mô hình", Format: "văn bản", Example: "Tổ tự quản ANTT thôn Làng Chẵng", Required: true},
		{Field: Type, Label: "Loại mô hình", Aliases: []string{"Loại", "Loại hình", "model type", "type"},
			Meaning: "Loại mô hình", Format: "văn bản", Example: "Hai quản, Hai tích cực", Required: true},
		colSector,
		{Field: Level, Label: "Cấp", Aliases: []string{"Cấp mô hình", "level"},
			Meaning: "Cấp: tỉnh / xã / thôn / cơ quan ...", Format: "văn bản", Example: "xã"},
		{Field: Host, Label: "Đơn vị chủ trì", Aliases: []string{"Đơn vị", "Đơn vị quản lý", "host unit", "host", "unit"},
			Meaning: "Đơn vị chủ trì xây dựng mô hình", Format: "văn bản", Example: "Công an xã Hùng Lợi"},
	}, placeColumns, []Column{
		{Field: Founded, Label: "Ngày thành lập", Aliases: []string{"Ngày xây dựng", "Ngày ra mắt", "Thành lập", "Thời gian thành lập", "Ra mắt", "Thời gian ra mắt", "founded", "established", "date founded", "start date"},
			Meaning: "Ngày thành lập (ra mắt) mô hình", Format: "dd/mm/yyyy", Example: "15/03/2023"},
		{Field: Recognised, Label: "Ngày công nhận", Aliases: []string{"Ngày quyết định công nhận", "Công nhận", "Thời gian công nhận", "recognised", "recognized", "recognition date"},
			Meaning: "Ngày quyết định công nhận; dùng làm ngày thành lập nếu cột đó trống", Format: "dd/mm/yyyy", Example: "20/03/2023"},
		colRetired,
		colAdvanced,
		{Field: Exemplary, Label: "Tiêu biểu toàn quốc", Aliases: []string{"Tiêu biểu", "exemplary", "nationally exemplary", "national exemplary"},
			Meaning: "Mô hình tiêu biểu toàn quốc", Format: "có/không, x, 1/0", Example: "không"},
	}),
	analytics.KindSites: join([]Column{
		{Field: ID, Label: "Mã điểm", Aliases: []string{"Mã", "Mã điểm mô hình", "ID", "site id", "site code", "code"},
			Meaning: "Mã điểm mô hình do đơn vị đặt; giữ nguyên giữa các lần nạp", Format: "văn bản", Example: "D-0001"},
		{Field: Name, Label: "Tên điểm", Aliases: []string{"Tên điểm mô hình", "Tên", "site name", "name"},
			Meaning: "Tên điểm mô hình", Format: "văn bản", Example: "Tổ tự quản thôn Làng Chẵng", Required: true},
		{Field: ModelID, Label: "Mã mô hình", Aliases: []string{"model id", "model code"},
			Meaning: "Mã mô hình gốc mà điểm nhân rộng", Format: "văn bản", Example: "MH-001"},
		{Field: ModelName, Label: "Tên mô hình", Aliases: []string{"model name", "model"},
			Meaning: "Tên mô hình gốc", Format: "văn bản", Example: "Hai quản, Hai tích cực xã Hùng Lợi"},
		{Field: Type, Label: "Loại mô hình", Aliases: []string{"Loại", "model type", "type"},
			Meaning: "Loại mô hình", Format: "văn bản", Example: "Hai quản, Hai tích cực"},
		colSector,
	}, placeColumns, []Column{
		{Field: Founded, Label: "Ngày thành lập", Aliases: []string{"Ngày ra mắt", "Ngày mở", "Ngày xây dựng", "Ngày thành lập điểm", "Thành lập", "Thời gian thành lập", "Ra mắt", "Thời gian ra mắt", "opened", "founded", "established", "start date"},
			Meaning: "Ngày thành lập (ra mắt) điểm", Format: "dd/mm/yyyy", Example: "01/06/2023"},
		colRetired,
		{Field: Teams, Label: "Số tổ", Aliases: []string{"Tổ", "Số tổ tự quản", "teams", "team count"},
			Meaning: "Số tổ (tổ tự quản, tổ liên gia ...) của điểm", Format: "số nguyên", Example: "3"},
		{Field: Members, Label: "Số thành viên", Aliases: []string{"Thành viên", "Số người", "members", "member count"},
			Meaning: "Số thành viên", Format: "số nguyên (dấu chấm phân cách nghìn: 1.250)", Example: "42"},
	}),
	analytics.KindGrades: join([]Column{
		{Field: SiteID, Label: "Mã điểm", Aliases: []string{"Mã", "Mã điểm mô hình", "site id", "site code", "code"},
			Meaning: "Mã điểm mô hình được xếp loại (như trong tệp điểm mô hình)", Format: "văn bản", Example: "D-0001", Required: true},
		{Field: SiteName, Label: "Tên điểm", Aliases: []string{"Tên điểm mô hình", "Tên", "site name", "name"},
			Meaning: "Tên điểm (khi không có mã điểm)", Format: "văn bản", Example: "Tổ tự quản thôn Làng Chẵng"},
		{Field: Year, Label: "Năm", Aliases: []string{"Năm xếp loại", "Năm công tác", "year", "police year"},
			Meaning: "Năm công tác (15/12 năm trước đến 14/12)", Format: "yyyy", Example: "2024", Required: true},
		{Field: Grade, Label: "Xếp loại", Aliases: []string{"Kết quả xếp loại", "Phân loại", "grade", "rating"},
			Meaning: "Xếp loại: Tốt, Khá, Trung bình (TB), Yếu", Format: "một trong các mức", Example: "Tốt", Required: true},
		colAdvanced,
	}, placeColumns),
	analytics.KindIncidents: join([]Column{
		{Field: ID, Label: "Mã vụ việc", Aliases: []string{"Mã", "Số", "ID", "case id", "incident id", "code"},
			Meaning: "Mã (số) vụ việc do đơn vị đặt", Format: "văn bản", Example: "VV-2024-0012"},
		{Field: SiteID, Label: "Mã điểm", Aliases: []string{"Mã điểm mô hình", "site id", "site code"},
			Meaning: "Mã điểm mô hình đã tiếp nhận, giải quyết", Format: "văn bản", Example: "D-0001"},
		{Field: Category, Label: "Lĩnh vực vụ việc", Aliases: []string{"Loại vụ việc", "Lĩnh vực", "Loại", "Phân loại", "Tính chất", "category", "incident type", "type"},
			Meaning: "Lĩnh vực: mâu thuẫn/tranh chấp, tội phạm tố giác, tệ nạn xã hội, trật tự công cộng, giao thông, cháy nổ ...", Format: "văn bản", Example: "mâu thuẫn/tranh chấp", Required: true},
		{Field: Received, Label: "Ngày tiếp nhận", Aliases: []string{"Ngày nhận", "Ngày xảy ra", "Ngày tiếp nhận tin", "Tiếp nhận", "Thời gian tiếp nhận", "Ngày, tháng tiếp nhận", "received", "received on", "date received", "date"},
			Meaning: "Ngày tiếp nhận vụ việc (hoặc tin báo)", Format: "dd/mm/yyyy", Example: "03/02/2024", Required: true},
		{Field: Closed, Label: "Ngày kết thúc", Aliases: []string{"Ngày giải quyết", "Ngày giải quyết xong", "Ngày kết thúc giải quyết", "Giải quyết xong", "Thời gian giải quyết xong", "Thời gian giải quyết", "Kết thúc", "closed", "resolved", "closed on", "date closed", "resolved on"},
			Meaning: "Ngày kết thúc; để trống nếu đang giải quyết", Format: "dd/mm/yyyy", Example: "10/02/2024"},
		{Field: Outcome, Label: "Kết quả", Aliases: []string{"Kết quả giải quyết", "Kết quả xử lý", "outcome", "result"},
			Meaning: "Kết quả: hòa giải thành, hòa giải không thành, giải quyết tại cơ sở, chuyển cơ quan chức năng, đang giải quyết", Format: "một trong các kết quả", Example: "hòa giải thành"},
		{Field: Tip, Label: "Tin báo", Aliases: []string{"Là tin báo", "tip"},
			Meaning: "Dòng này là tin báo của quần chúng", Format: "có/không, x, 1/0", Example: "không"},
		{Field: TipUseful, Label: "Tin có giá trị", Aliases: []string{"Có giá trị", "useful tip", "valuable tip", "tip useful"},
			Meaning: "Tin báo có giá trị", Format: "có/không, x, 1/0", Example: "không"},
	}, placeColumns),
}

// requires lists, per kind, the groups of which a file must have at least
// one column each: a models file needs a name, a type and a commune (by code
// or name). A row missing a required value is rejected.
var requires = map[analytics.Kind][][]Field{
	analytics.KindModels:    {{Name}, {Type}, {Commune, CommuneCode}},
	analytics.KindSites:     {{Name}, {Commune, CommuneCode}},
	analytics.KindGrades:    {{SiteID, SiteName}, {Year}, {Grade}, {Commune, CommuneCode}},
	analytics.KindIncidents: {{Received}, {Commune, CommuneCode}},
}

func join(parts ...[]Column) []Column {
	var out []Column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Columns returns the canonical columns of kind, in template order. The
// slice is shared: do not modify it.
func Columns(kind analytics.Kind) []Column { return columns[kind] }

// Required returns the groups of fields of which a file of kind must have
// at least one column each. The slices are shared: do not modify them.
func Required(kind analytics.Kind) [][]Field { return requires[kind] }

// Label is the Vietnamese label of field f in kind ("Xã/Phường"), or f's
// name when kind has no such column.
func Label(kind analytics.Kind, f Field) string {
	for _, c := range columns[kind] {
		if c.Field == f {
			return c.Label
		}
	}
	return f.String()
}

// fieldLabels are the Vietnamese labels of each kind's fields by name,
// the first column's label met in the kind's column order.
var fieldLabels = func() map[analytics.Kind]map[string]string {
	out := map[analytics.Kind]map[string]string{}
	for kind, cols := range columns {
		m := map[string]string{}
		for _, c := range cols {
			if _, ok := m[c.Field.String()]; !ok {
				m[c.Field.String()] = c.Label
			}
		}
		out[kind] = m
	}
	return out
}()

// FieldLabel is the Vietnamese label of the field named name in a file of
// kind ("commune" -> "Xã/Phường", "name" -> "Tên điểm" in a sites file),
// for the rejects file: kind's own label, else the label of the first kind
// in analytics.Kinds that has the field (a fixed order, so the same row
// always gets the same words); false when no kind has it.
func FieldLabel(kind analytics.Kind, name string) (string, bool) {
	if l, ok := fieldLabels[kind][name]; ok {
		return l, true
	}
	for _, k := range analytics.Kinds {
		if l, ok := fieldLabels[k][name]; ok {
			return l, true
		}
	}
	return "", false
}
