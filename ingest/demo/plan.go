// Package demo writes the synthetic demo dataset of ANTQ Atlas: models,
// sites, grades and incidents of the ANTQ movement for the new Tuyên Quang
// (08) and Phú Thọ (25), police years 2022–2025 — or for all 34 provinces at
// national scale, for benchmarks — as the files the provincial police keep
// (XLSX and CSV, Vietnamese headers, records before 1 July 2025 naming the
// OLD commune, district and province, some without diacritics or with
// abbreviations, a few deliberately invalid rows and duplicates).
//
// The figures are calibrated to ../shared/DOMAIN.md so that the dashboard,
// after the files are ingested through the ordinary path, shows the reported
// figures exactly (Expect lists them; a test asserts them). Every file is
// named demo_* and says it is synthetic ("DỮ LIỆU MÔ PHỎNG").
//
// It depends on analytics and analytics/commune only.
package demo

import "github.com/antq-atlas/antq/analytics"

// Synthetic marks every file and is shown wherever demo data is shown.
const Synthetic = "DỮ LIỆU MÔ PHỎNG — dữ liệu minh họa, không phải số liệu thật (synthetic demo data)"

// FilePrefix starts the name of every demo file.
const FilePrefix = "demo_"

// Years are the police years the demo covers.
var Years = []int{2022, 2023, 2024, 2025}

// provincePlan calibrates one province.
type provincePlan struct {
	code   analytics.ProvinceCode
	models map[int]int // models active at the end of each police year
	sites  map[int]int // sites active at the end of each police year
	retire map[int]float64
	// Tuyên Quang 2022: models at commune level, and at agencies,
	// enterprises and schools.
	communeLevel2022, agencies2022 int
	advanced                       int // advanced examples active at the end of 2025
	types                          int // model types in use (first n of ModelTypes)
	fiveSelfManaged                int // "5 tự quản về ANTT" sites in residential areas at the end of 2025 (0 = free)
	incidentsPerSiteYear           float64
}

var plans = map[analytics.ProvinceCode]provincePlan{
	// Tuyên Quang: 299 models in 2022 (129 at commune level, 30 at agencies,
	// enterprises and schools), 336 models with 2,025 sites in 11/2025; the
	// site path 1,750 / 1,700 / 1,880 / 2,025 is DOMAIN.md's assumption.
	"08": {code: "08",
		models:           map[int]int{2022: 299, 2023: 311, 2024: 324, 2025: 336},
		sites:            map[int]int{2022: 1750, 2023: 1700, 2024: 1880, 2025: 2025},
		retire:           map[int]float64{2023: 0.08, 2024: 0.06, 2025: 0.05},
		communeLevel2022: 129, agencies2022: 30, advanced: 45, types: 17, incidentsPerSiteYear: 1.2},
	// Phú Thọ: 38 model types, 3,135 sites (12/2025), 76 advanced examples,
	// "5 tự quản" at 259 residential areas; models and the site path are
	// assumptions.
	"25": {code: "25",
		models:   map[int]int{2022: 380, 2023: 392, 2024: 405, 2025: 418},
		sites:    map[int]int{2022: 2900, 2023: 2950, 2024: 3050, 2025: 3135},
		retire:   map[int]float64{2023: 0.09, 2024: 0.07, 2025: 0.05},
		advanced: 76, types: 38, fiveSelfManaged: 259, incidentsPerSiteYear: 1.2},
}

// Exemplary are the three nationally exemplary models of Tuyên Quang (2025).
var Exemplary = []struct{ Commune, Type string }{
	{"Trường Sinh", "Tự phòng, tự quản, tự bảo vệ"},
	{"Hùng Lợi", "Hai quản, Hai tích cực"},
	{"Hà Giang 1", "An toàn về ANTT và PCCC"},
}

// ModelTypes are the model types with their sector. The first 17 are those
// DOMAIN.md names; Phú Thọ runs 38, the rest are plausible synthetic names.
var ModelTypes = []struct{ Name, Sector string }{
	{"5 tự quản về ANTT", analytics.SectorResidential},
	{"4 an toàn về ANTT", analytics.SectorResidential},
	{"Camera an ninh", analytics.SectorResidential},
	{"Tự phòng, tự quản, tự bảo vệ", analytics.SectorResidential},
	{"Hai quản, Hai tích cực", analytics.SectorResidential},
	{"Ba tích cực về ANTT", analytics.SectorResidential},
	{"3 quản, 2 tích cực", analytics.SectorResidential},
	{"An toàn về ANTT và PCCC", analytics.SectorCommune},
	{"Tổ dân phố bình yên", analytics.SectorResidential},
	{"Tổ liên gia tự quản", analytics.SectorResidential},
	{"Hội đồng bảo vệ ANTT", analytics.SectorCommune},
	{"Liên kết đảm bảo ANTT", analytics.SectorAgency},
	{"Phòng chống tệ nạn xã hội và bạo lực học đường", analytics.SectorEducation},
	{"Tiếng chuông bình yên", analytics.SectorResidential},
	{"Bản Mông bình yên", analytics.SectorReligion},
	{"Làng Mông 3 không, 5 cùng", analytics.SectorReligion},
	{"Dòng họ tự quản", analytics.SectorReligion},
	{"Tổ an ninh xung kích", analytics.SectorResidential},
	{"Tổ hòa giải ở cơ sở", analytics.SectorResidential},
	{"Camera giám sát giao thông", analytics.SectorCommune},
	{"Khu dân cư không ma túy", analytics.SectorResidential},
	{"Xứ, họ đạo bình yên", analytics.SectorReligion},
	{"Chợ an toàn về ANTT", analytics.SectorCommune},
	{"Trường học an toàn", analytics.SectorEducation},
	{"Doanh nghiệp an toàn về ANTT", analytics.SectorAgency},
	{"Bến xe an ninh", analytics.SectorAgency},
	{"Zalo an ninh trật tự", analytics.SectorCommune},
	{"Phụ nữ tham gia bảo vệ ANTT", analytics.SectorResidential},
	{"Thanh niên xung kích bảo vệ ANTT", analytics.SectorResidential},
	{"Cựu chiến binh tham gia bảo vệ ANTT", analytics.SectorResidential},
	{"Nhà trọ an toàn", analytics.SectorResidential},
	{"Gia đình không có tội phạm", analytics.SectorResidential},
	{"Thôn, tổ dân phố không có tội phạm", analytics.SectorResidential},
	{"Liên kết phòng chống tội phạm vùng giáp ranh", analytics.SectorCommune},
	{"Giúp đỡ người lầm lỗi tái hòa nhập", analytics.SectorCommune},
	{"Khu công nghiệp an toàn", analytics.SectorAgency},
	{"Cơ quan an toàn về ANTT", analytics.SectorAgency},
	{"Đoàn kết dân tộc giữ bình yên bản làng", analytics.SectorReligion},
}

// Categories of incidents with their weight.
var categories = []struct {
	name   string
	weight float64
}{
	{"mâu thuẫn/tranh chấp", 0.45}, {"trật tự công cộng", 0.15}, {"tệ nạn xã hội", 0.12},
	{"tội phạm tố giác", 0.10}, {"giao thông", 0.12}, {"cháy nổ", 0.06},
}

// Outcomes with their weight: mediation succeeds in ≈ 80 % of concluded
// mediations, ≈ 7 % pending (DOMAIN.md: 65–85 %, 5–10 %).
var outcomes = []struct {
	name   string
	weight float64
}{
	{analytics.OutcomeMediated, 0.58}, {analytics.OutcomeNotMediated, 0.14}, {analytics.OutcomeResolvedLocal, 0.14},
	{analytics.OutcomeTransferred, 0.07}, {analytics.OutcomePending, 0.07},
}

// gradeMix is ≈ 35/35/22/8 % (an assumption).
var gradeMix = []struct {
	grade  string
	weight float64
}{{analytics.GradeGood, 0.35}, {analytics.GradeFair, 0.35}, {analytics.GradeAverage, 0.22}, {analytics.GradeWeak, 0.08}}

// Expect are the figures the dashboard must show after the demo files are
// ingested (police-year periods; "2025" ends 14/12/2025, the state of
// 11/2025).
type Expect struct {
	Province analytics.ProvinceCode
	Year     int
	Metric   string // "models", "sites", "model_types", "advanced", "exemplary", "models_commune_level", "models_agencies", "five_self_managed"
	Value    int
}

// Expectations lists the calibrated figures.
func Expectations() []Expect {
	return []Expect{
		{"08", 2025, "models", 336},
		{"08", 2025, "sites", 2025},
		{"08", 2022, "models", 299},
		{"08", 2022, "models_commune_level", 129},
		{"08", 2022, "models_agencies", 30},
		{"08", 2025, "exemplary", 3},
		{"08", 2022, "sites", 1750},
		{"08", 2023, "sites", 1700},
		{"08", 2024, "sites", 1880},
		{"25", 2025, "model_types", 38},
		{"25", 2025, "sites", 3135},
		{"25", 2025, "advanced", 76},
		{"25", 2025, "five_self_managed", 259},
	}
}
