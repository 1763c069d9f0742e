package chart

import (
	"math"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

func TestOptionBuilders(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func() ([]byte, error)
	}{
		{"bar_ranking", func() ([]byte, error) {
			return Bar(BarInput{
				Categories: []string{"Xã Hùng Lợi", "Phường Hà Giang 1", "Xã Trường Sinh"},
				Series:     []NamedValues{{Name: "Điểm mô hình", Values: []float64{2025, 1880, math.NaN()}}},
				Unit:       "điểm", Horizontal: true, Labels: true,
			})
		}},
		{"bar_breakdown_stacked", func() ([]byte, error) {
			return Bar(BarInput{
				Categories: []string{"Tốt", "Khá", "Trung bình", "Yếu"},
				Series: []NamedValues{
					{Name: "Khu dân cư", Values: []float64{500, 480, 300, 90}},
					{Name: "Cơ quan, doanh nghiệp", Values: []float64{80, 70, 40, 10}},
				},
				Stacked: true, Labels: true,
			})
		}},
		{"line_compare", func() ([]byte, error) {
			return Line(LineInput{
				Categories: []string{"2022", "2023", "2024", "2025"},
				Series: []NamedValues{
					{Name: "Năm nay", Values: []float64{1750, 1700, 1880, 2025}},
					{Name: "Cùng kỳ", Values: []float64{math.NaN(), 1750, 1700, 1880}, Compare: true},
				},
				Unit: "điểm",
			})
		}},
		{"pie_donut", func() ([]byte, error) {
			return Pie(PieInput{
				Name:  "Xếp loại",
				Items: []NamedValue{{"Tốt", 35}, {"Khá", 35}, {"Trung bình", 22}, {"Yếu", 8}},
				Unit:  "%", Decimals: 1, Donut: true,
			})
		}},
		{"map_sequential", func() ([]byte, error) {
			return Map(MapInput{
				MapName: "tq-2025",
				Values: []RegionValue{
					{Code: "00691", Name: "Phường Hà Giang 2", Value: ptr(16)},
					{Code: "02263", Name: "Xã Hùng Lợi", Value: ptr(24.5)},
					{Code: "02264", Name: "Xã Yên Phú"},
				},
				Breaks: []float64{0, 10, 20, 30}, Unit: "điểm", SeriesName: "Điểm mô hình",
			})
		}},
		{"map_diverging", func() ([]byte, error) {
			return Map(MapInput{
				MapName: "tq-2025",
				Values:  []RegionValue{{Code: "00691", Name: "Phường Hà Giang 2", Value: ptr(-12.5)}},
				Breaks:  []float64{-50, -20, -5, 5, 20, 50}, Diverging: true, Decimals: 1, Unit: "%",
			})
		}},
		{"decorated_bar", func() ([]byte, error) {
			opt, err := Bar(BarInput{Categories: []string{"A"}, Series: []NamedValues{{Name: "s", Values: []float64{1}}}})
			if err != nil {
				return nil, err
			}
			from := time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC)
			to := time.Date(2025, 12, 14, 0, 0, 0, 0, time.UTC)
			return Decorate(opt, Slide{
				Title: "Điểm mô hình theo xã", Subtitle: Window(from, to),
				Footnote: Footnote("Công an tỉnh Tuyên Quang", from, to, "điểm"),
			}, 1920, 1080)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.build()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".json", indent(t, b))
		})
	}
}

func TestOptionBuildersInvalid(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"bar no series", func() error { _, err := Bar(BarInput{Categories: []string{"a"}}); return err }()},
		{"bar length mismatch", func() error {
			_, err := Bar(BarInput{Categories: []string{"a", "b"}, Series: []NamedValues{{Name: "s", Values: []float64{1}}}})
			return err
		}()},
		{"pie negative", func() error { _, err := Pie(PieInput{Items: []NamedValue{{"a", -1}}}); return err }()},
		{"map one break", func() error { _, err := Map(MapInput{MapName: "m", Breaks: []float64{1}}); return err }()},
		{"map breaks not increasing", func() error { _, err := Map(MapInput{MapName: "m", Breaks: []float64{1, 1}}); return err }()},
		{"map duplicate code", func() error {
			_, err := Map(MapInput{MapName: "m", Breaks: []float64{0, 1}, Values: []RegionValue{{Code: "1"}, {Code: "1"}}})
			return err
		}()},
		{"decorate not an object", func() error { _, err := Decorate([]byte(`[1]`), Slide{}, 1280, 720); return err }()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if analytics.ErrorCode(c.err) != analytics.CodeInvalid {
				t.Errorf("error %v: code %q, want invalid", c.err, analytics.ErrorCode(c.err))
			}
		})
	}
}

func TestFootnote(t *testing.T) {
	from := time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 12, 14, 0, 0, 0, 0, time.UTC)
	got := Footnote("Công an tỉnh Tuyên Quang", from, to, "điểm")
	want := "Nguồn: Công an tỉnh Tuyên Quang; Số liệu từ 15/12/2024 đến 14/12/2025; Đơn vị tính: điểm"
	if got != want {
		t.Errorf("Footnote = %q, want %q", got, want)
	}
}
