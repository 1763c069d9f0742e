package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Names of the bundle's files (read by analytics/commune; keep in step
// with its bundle*.go constants).
const (
	outProvinces = "provinces.csv"
	outCommunes  = "communes.csv.gz"
	outMedium    = "medium.topojson.gz"
	outDetail    = "detail.topojson.gz"
	outVNAD      = "vnad.json.gz"
	outNotice    = "NOTICE"
	outSources   = "PROVENANCE.md"
)

// Source files in the shared/geo folder.
const (
	srcCommunes  = "new_communes_2025_attributes_all34.csv"
	srcProvinces = "new_provinces_2025_portal_totals.csv"
	srcTopology  = "vietnam_34_provinces_3321_communes_2025_simplified.topojson"
	srcFullRes   = "vietnam_34_provinces_3321_communes_2025_fullres.ndjson.gz"
	srcProvenace = "PROVENANCE.md"
)

// DetailTolerance is the Douglas–Peucker tolerance of the detailed level in
// degrees (5e-5° ≈ 5.5 m north–south).
const DetailTolerance = 5e-5

// The columns the product reads (analytics/commune readProvinces and
// readCommunes); everything else in the sources is left out.
var (
	provinceColumns = []string{"province_code", "name", "area_km2_portal", "population_portal", "before_merger"}
	communeColumns  = []string{"code", "province_code", "fullName", "name", "area_km2_portal", "area_flag",
		"population", "population_flag", "before_merger_portal", "center_lon", "center_lat"}
)

// The tables and columns of address.json the product reads.
var vnadColumns = map[string][]string{
	"provinces":     {"province_code", "name"},
	"wards":         {"ward_code", "name", "province_code"},
	"ward_mappings": {"id", "old_ward_code", "old_ward_name", "old_district_name", "old_province_name", "new_ward_code", "new_ward_name", "new_province_name"},
}

// build writes the bundle into out from the shared/geo folder from and
// vnad's address.json. The output depends on the inputs only.
func build(from, vnad, out string, log io.Writer) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	steps := []struct {
		name string
		gz   bool
		make func() ([]byte, error)
	}{
		{outProvinces, false, func() ([]byte, error) { return selectCSV(filepath.Join(from, srcProvinces), provinceColumns) }},
		{outCommunes, true, func() ([]byte, error) { return selectCSV(filepath.Join(from, srcCommunes), communeColumns) }},
		{outMedium, true, func() ([]byte, error) { return stripTopology(filepath.Join(from, srcTopology)) }},
		{outDetail, true, func() ([]byte, error) { return detailTopology(filepath.Join(from, srcFullRes), log) }},
		{outVNAD, true, func() ([]byte, error) { return selectVNAD(vnad) }},
		{outSources, false, func() ([]byte, error) { return os.ReadFile(filepath.Join(from, srcProvenace)) }},
		{outNotice, false, func() ([]byte, error) { return []byte(notice), nil }},
	}
	for _, st := range steps {
		b, err := st.make()
		if err != nil {
			return fmt.Errorf("build %s: %w", st.name, err)
		}
		if st.gz {
			if b, err = gz(b); err != nil {
				return fmt.Errorf("build %s: %w", st.name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(out, st.name), b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "%-20s %9d bytes\n", st.name, len(b))
	}
	return nil
}

// gz compresses deterministically: no name, no time stamp.
func gz(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// selectCSV keeps the named columns of a CSV file (values as written).
func selectCSV(path string, cols []string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[strings.TrimPrefix(h, "\ufeff")] = i
	}
	pick := make([]int, len(cols))
	for i, c := range cols {
		j, ok := idx[c]
		if !ok {
			return nil, fmt.Errorf("read %s: no column %s", path, c)
		}
		pick[i] = j
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(cols); err != nil {
		return nil, err
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s row %d: %w", path, line, err)
		}
		row := make([]string, len(pick))
		for i, j := range pick {
			if j < len(rec) {
				row[i] = rec[j]
			}
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// stripTopology keeps the medium TopoJSON as published (its quantised arcs
// byte for byte) with only the properties code and province_code.
func stripTopology(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type geom struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id,omitempty"`
		Arcs       json.RawMessage `json:"arcs"`
		Properties struct {
			Code     string `json:"code"`
			Province string `json:"province_code"`
		} `json:"properties"`
	}
	var t struct {
		Type      string          `json:"type"`
		Transform json.RawMessage `json:"transform,omitempty"`
		Arcs      json.RawMessage `json:"arcs"`
		Objects   map[string]struct {
			Type       string `json:"type"`
			Geometries []geom `json:"geometries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return json.Marshal(t)
}

func detailTopology(path string, log io.Writer) ([]byte, error) {
	fs, err := readFullRes(path)
	if err != nil {
		return nil, err
	}
	t := buildTopology(fs)
	arcs := t.simplify(DetailTolerance / quantum)
	var in, kept int
	for i := range arcs {
		in += len(t.arcs[i])
		kept += len(arcs[i])
	}
	fmt.Fprintf(log, "detail: %d communes, %d shared arcs, %d -> %d vertices\n", len(fs), len(arcs), in, kept)
	var buf bytes.Buffer
	if err := writeTopoJSON(&buf, fs, t.refs, arcs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// selectVNAD keeps the tables and columns of address.json that the product
// reads, in address.json's own form (an array of {type, name, data}).
func selectVNAD(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var elems []struct {
		Type string                       `json:"type"`
		Name string                       `json:"name"`
		Data []map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &elems); err != nil {
		// Headers and other non-table elements have other shapes: decode loosely.
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	type table struct {
		Type string                       `json:"type"`
		Name string                       `json:"name"`
		Data []map[string]json.RawMessage `json:"data"`
	}
	var out []table
	for _, e := range elems {
		cols, ok := vnadColumns[e.Name]
		if e.Type != "table" || !ok {
			continue
		}
		t := table{Type: "table", Name: e.Name, Data: make([]map[string]json.RawMessage, 0, len(e.Data))}
		for _, row := range e.Data {
			r := make(map[string]json.RawMessage, len(cols))
			for _, c := range cols {
				if v, ok := row[c]; ok {
					r[c] = v
				}
			}
			t.Data = append(t.Data, r)
		}
		out = append(out, t)
	}
	if len(out) != len(vnadColumns) {
		return nil, fmt.Errorf("read %s: %d of the tables %v", path, len(out), vnadColumns)
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, t := range out {
		tb, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.Write(tb)
	}
	buf.WriteString("\n]\n")
	return buf.Bytes(), nil
}
