package analytics

import "time"

// ProvinceCode is a 2025 province code (two digits, e.g. "08" Tuyên Quang,
// "25" Phú Thọ).
type ProvinceCode string

// ProvinceAll is the province parameter's value for the whole country
// ("province=all").
const ProvinceAll = "all"

// CommuneCode is a 2025 commune code (the five-digit GSO ward code, e.g.
// "02512"). Every figure is shown on these codes.
type CommuneCode string

// Kind names a kind of record a file can hold.
type Kind string

// The kinds of records.
const (
	KindModels    Kind = "models"
	KindSites     Kind = "sites"
	KindGrades    Kind = "grades"
	KindIncidents Kind = "incidents"
)

// Kinds lists every kind in load order (a site names its model, a grade and
// an incident name their site).
var Kinds = []Kind{KindModels, KindSites, KindGrades, KindIncidents}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Sector of a model type (lĩnh vực).
const (
	SectorResidential = "khu dân cư"
	SectorCommune     = "xã/phường"
	SectorAgency      = "cơ quan/doanh nghiệp"
	SectorEducation   = "cơ sở giáo dục"
	SectorReligion    = "tôn giáo/dân tộc"
)

// Sectors lists the sectors in display order.
var Sectors = []string{SectorResidential, SectorCommune, SectorAgency, SectorEducation, SectorReligion}

// Grades a site can get in a year, best first.
const (
	GradeGood    = "Tốt"
	GradeFair    = "Khá"
	GradeAverage = "Trung bình"
	GradeWeak    = "Yếu"
)

// Grades lists the grades, best first.
var Grades = []string{GradeGood, GradeFair, GradeAverage, GradeWeak}

// Incident outcomes.
const (
	OutcomeMediated      = "hòa giải thành"
	OutcomeNotMediated   = "hòa giải không thành"
	OutcomeResolvedLocal = "giải quyết tại cơ sở"
	OutcomeTransferred   = "chuyển cơ quan chức năng"
	OutcomePending       = "đang giải quyết"
)

// Outcomes lists the incident outcomes.
var Outcomes = []string{OutcomeMediated, OutcomeNotMediated, OutcomeResolvedLocal, OutcomeTransferred, OutcomePending}

// Located is where a record is, as written in the source and as resolved to
// a 2025 commune, kept together for audit.
type Located struct {
	Province    ProvinceCode // 2025 province of the resolved commune
	Commune     CommuneCode  // resolved 2025 commune
	SourcePlace string       // the commune reference as written: "Xã Trung Minh, Huyện Yên Sơn, Tỉnh Tuyên Quang"
	Rule        ResolveRule  // how Commune was found
	Confidence  float64      // 0..1
	Split       bool         // the source unit was split across 2025 communes
	OldCode     string       // the pre-2025 unit the source named, if any (coverage of former communes)
	Lon, Lat    float64      // WGS84; zero when HasPoint is false
	HasPoint    bool
}

// Source says where a record came from.
type Source struct {
	File  string // base name of the input file
	Sheet string // XLSX sheet, empty otherwise
	Row   int    // 1-based row in the file or sheet (header = 1)
	Extra string // JSON object of unknown columns, "{}" when none
}

// Model is one mô hình.
type Model struct {
	Key       string // stable record key: the source ID, else a hash of the normalised content
	Hash      uint64 // hash of the normalised content: same key + same hash = a duplicate
	SourceID  string
	Name      string
	Type      string // loại mô hình
	Sector    string
	Level     string // cấp: tỉnh / xã / thôn / cơ quan ... as written
	HostUnit  string // đơn vị chủ trì
	Founded   time.Time
	Retired   time.Time // zero while active
	Advanced  bool      // điển hình tiên tiến
	Exemplary bool      // tiêu biểu toàn quốc
	Located
	Source
}

// Site is one điểm mô hình.
type Site struct {
	Key       string
	Hash      uint64
	SourceID  string
	ModelKey  string // key of the model it replicates, when known
	ModelName string
	ModelType string
	Sector    string
	Name      string
	Opened    time.Time
	Retired   time.Time // zero while active
	Teams     uint32    // tổ
	Members   uint32    // thành viên
	Located
	Source
}

// Grade is one site's grade in one police year.
type Grade struct {
	Key      string
	Hash     uint64
	SiteKey  string
	Year     uint16 // police year
	Grade    string // one of Grades
	Advanced bool   // recognised as an advanced example that year
	Located
	Source
}

// Incident is one vụ việc (or one tip, when Tip is set).
type Incident struct {
	Key       string
	Hash      uint64
	SourceID  string
	SiteKey   string // the site that handled it, when known
	Category  string // mâu thuẫn/tranh chấp, tội phạm tố giác, tệ nạn xã hội, ...
	Received  time.Time
	Closed    time.Time // zero while open
	Outcome   string    // one of Outcomes
	Tip       bool      // a tip from the public (tin báo)
	TipUseful bool      // "tin có giá trị"
	Located
	Source
}
