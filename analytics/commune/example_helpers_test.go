package commune

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

func exampleContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// exampleRefDir finds the bundle for examples as the tests do ($ANTQ_REFDATA,
// else an ancestor's shared/geo).
func exampleRefDir() string {
	if d := os.Getenv("ANTQ_REFDATA"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "geo")
		if len(missingFiles(cand, requiredRefFiles)) == 0 {
			return cand
		}
	}
	return ""
}
