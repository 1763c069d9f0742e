package analytics

import "time"

// ResolveRule says how a record's place was resolved to a 2025 commune.
type ResolveRule string

// Resolution rules, most certain first.
const (
	RuleExactCode       ResolveRule = "exact_code"             // a 2025 code, or an old code with one successor
	RuleExactName       ResolveRule = "exact_name"             // names matched as written
	RuleNormalisedName  ResolveRule = "normalised_name"        // matched after folding case, diacritics, abbreviations
	RuleDistrict        ResolveRule = "district_disambiguated" // the district told same-named communes apart
	RuleSplitCoordinate ResolveRule = "split_by_coordinates"   // a split unit, allocated by the record's point
	RuleSplitShare      ResolveRule = "split_by_share"         // a split unit, allocated to its documented main successor
)

// Place is what a record says about where it is: a code, or names of
// commune, district and province (old or new), the record's date and its
// optional coordinates.
type Place struct {
	Code     string
	Commune  string
	District string
	Province string
	Date     time.Time // zero when unknown; before 2025-07-01 names may be old units
	Lon, Lat float64   // WGS84
	HasPoint bool
}

// Resolution is a Place resolved to a 2025 commune.
type Resolution struct {
	Province   ProvinceCode
	Commune    CommuneCode
	Name       string // 2025 full name, e.g. "Xã Hùng Lợi"
	Rule       ResolveRule
	Confidence float64 // 0..1
	Split      bool    // the source unit was split across several 2025 communes
	OldCode    string  // the pre-2025 unit's code when the place named one
}

// Candidate is a near match offered when a place cannot be resolved.
type Candidate struct {
	Code     string // 2025 commune code, or pre-2025 unit code
	Name     string // full name with district and province
	Distance float64
}

// ResolveError is returned when a place is unknown or ambiguous. It lists the
// closest candidates and never guesses.
type ResolveError struct {
	Place      Place
	Reason     string // "unknown commune", "ambiguous commune", ...
	Candidates []Candidate
}

func (e *ResolveError) Error() string {
	s := e.Reason
	if e.Place.Commune != "" {
		s += " " + quote(e.Place.Commune)
	} else if e.Place.Code != "" {
		s += " code " + quote(e.Place.Code)
	}
	if len(e.Candidates) > 0 {
		s += "; closest:"
		for i, c := range e.Candidates {
			if i > 0 {
				s += ";"
			}
			s += " " + c.Name + " (" + c.Code + ")"
		}
	}
	return s
}

func quote(s string) string { return "\"" + s + "\"" }

// Resolver resolves places to 2025 communes. commune.Resolver implements it.
// An answer may depend on Place.Date only through whether the date is zero
// or before MergerDate: callers cache answers by that (ingest's record
// builder does), so an implementation must not read the day itself.
type Resolver interface {
	Resolve(p Place) (Resolution, error)
}

// MergerDate is the day the 2025 communes took effect (Resolution 202/2025/QH15).
var MergerDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
