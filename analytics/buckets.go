package analytics

import (
	"fmt"
	"strconv"
	"time"
)

// Series buckets follow the police calendar (15th → 14th): a police year
// 2025 = 15/12/2024–14/12/2025, its halves, quarters and months (month
// 2025-08 = 15/07–14/08/2025), the same periods ParsePeriod reads.
const (
	BucketYear    = "year"
	BucketHalf    = "half"
	BucketQuarter = "quarter"
	BucketMonth   = "month"
)

// Buckets lists the bucket sizes of a time series.
var Buckets = []string{BucketYear, BucketHalf, BucketQuarter, BucketMonth}

// MaxBuckets bounds a series (20 years of months).
const MaxBuckets = 240

// bucketMonths is each bucket size in police months.
var bucketMonths = map[string]int{BucketYear: 12, BucketHalf: 6, BucketQuarter: 3, BucketMonth: 1}

// Bucket is one period of a series.
type Bucket struct {
	Window  Window
	Partial bool // cut to the requested range
}

// PoliceBuckets cuts [from, to) into police periods of size by (Buckets).
// The first and last are cut to the range and marked partial when the
// range does not fall on their bounds; their Spec then names the days
// ("2025Q1 (2025-01-01..2025-03-14)").
func PoliceBuckets(by string, from, to time.Time) ([]Bucket, error) {
	months, ok := bucketMonths[by]
	if !ok {
		return nil, Errorf(CodeInvalid, "kỳ %q không hợp lệ / bucket %q: use year, half, quarter or month", by, by)
	}
	// Police month index of from: month m of police year y runs from
	// 15/(m-1) to 14/m; 15/12 starts month 1 of the next year.
	y, m := from.Year(), int(from.Month())
	if from.Day() >= 15 {
		m++
		if m == 13 {
			y, m = y+1, 1
		}
	}
	m = (m-1)/months*months + 1 // first month of the bucket holding from
	var out []Bucket
	for {
		spec := bucketSpec(by, y, m)
		w, err := ParsePeriod(spec, from)
		if err != nil {
			return nil, err
		}
		if !w.From.Before(to) {
			break
		}
		b := Bucket{Window: w}
		if w.From.Before(from) || w.To.After(to) {
			b.Partial = true
			if w.From.Before(from) {
				b.Window.From = from
			}
			if w.To.After(to) {
				b.Window.To = to
			}
			b.Window.Spec = spec + " (" + b.Window.From.Format("2006-01-02") + ".." + b.Window.Last().Format("2006-01-02") + ")"
		}
		out = append(out, b)
		if len(out) > MaxBuckets {
			return nil, Errorf(CodeInvalid, "chuỗi thời gian quá dài (tối đa %d kỳ) / series too long (at most %d buckets)", MaxBuckets, MaxBuckets)
		}
		m += months
		if m > 12 {
			y, m = y+1, m-12
		}
	}
	return out, nil
}

// bucketSpec names the bucket of size by starting at police month m of
// police year y, as ParsePeriod reads it.
func bucketSpec(by string, y, m int) string {
	switch by {
	case BucketHalf:
		return fmt.Sprintf("%dH%d", y, (m-1)/6+1)
	case BucketQuarter:
		return fmt.Sprintf("%dQ%d", y, (m-1)/3+1)
	case BucketMonth:
		return fmt.Sprintf("%d-%02d", y, m)
	}
	return strconv.Itoa(y)
}
