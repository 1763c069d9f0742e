// Command antq is ANTQ Atlas: one binary whose subcommands serve the
// dashboard, ingest records, make the demo dataset and manage the schema.
// Only this package reads flags and the environment, opens the store and
// wires it to the other packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintln(os.Stderr, "antq:", ex.msg)
		}
		os.Exit(ex.code)
	}
	fmt.Fprintln(os.Stderr, "antq:", err)
	os.Exit(1)
}

// exitError ends the process with a code other than 1 (ingest: 2 = some rows
// rejected).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the dashboard and the API", runServe},
		{"ingest", "load model, site, grade and incident files (CSV, XLSX, JSON Lines)", runIngest},
		{"batches", "list the ingest batches, or undo one (batches undo ID)", runBatches},
		{"demo", "write the synthetic demo dataset and ingest it", runDemo},
		{"migrate", "apply the database schema (a no-op when up to date)", runMigrate},
		{"export-rows", "write the stored sites or incidents, restated to 2025 communes, as CSV (for a peer system)", runExportRows},
		{"resolve", "resolve a CSV of commune/district/province names to 2025 communes", runResolve},
		{"refdata", "check the reference data (refdata check)", runRefdata},
		{"user", "manage users, province grants and API tokens (add, grant, revoke, token, list, ...)", runUser},
		{"version", "print the version; --check lists what is missing (engine, rsvg-convert, fonts)", runVersion},
		{"setup", "fetch the embedded ClickHouse engine (libchdb.so) from the npm registry into the cache", runSetup},
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", args[0])}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "antq — ANTQ Atlas: models, sites and incidents of the ANTQ movement on the 2025 communes")
	fmt.Fprintln(w, "\nUsage: antq COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `antq COMMAND -h` for a command's flags. Every flag has an ANTQ_* environment fallback.")
}
