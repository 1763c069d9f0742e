package chstore

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed query/*.sql
var queryFS embed.FS

// sqlText returns the named query (query/<name>.sql). Names are constants in
// this package; a test checks every file is used and every name exists.
func sqlText(name string) string {
	b, err := queryFS.ReadFile("query/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("chstore: no query %q: %v", name, err))
	}
	return strings.TrimSpace(string(b))
}

// tables maps each kind to its fact table: the whitelist that lets a table
// name reach SQL as an Identifier parameter.
var tables = map[string]string{
	"models":    "models",
	"sites":     "sites",
	"grades":    "grades",
	"incidents": "incidents",
}
