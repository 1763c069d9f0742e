package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/antq-atlas/antq/analytics/commune/topo"
)

// quantum is the grid of the detailed level in degrees: the full-resolution
// source is written with 6 decimals, so 1e-6 keeps its vertices exactly.
const quantum = 1e-6

// pt is a vertex on the quantum grid (lon, lat).
type pt [2]int64

type feature struct {
	code, province string
	polygons       [][][]pt // polygon -> ring (open: the closing point is not repeated) -> vertices
}

// readFullRes reads the full-resolution NDJSON (one GeoJSON feature a line)
// onto the quantum grid, sorted by code.
func readFullRes(path string) ([]feature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	br := bufio.NewReaderSize(zr, 1<<20)
	var out []feature
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var ft struct {
				Properties struct {
					Code     string `json:"code"`
					Province string `json:"province_code"`
				} `json:"properties"`
				Geometry struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			}
			if uerr := json.Unmarshal(line, &ft); uerr != nil {
				return nil, fmt.Errorf("read %s line %d: %w", path, n, uerr)
			}
			var mp [][][][2]float64
			switch ft.Geometry.Type {
			case "MultiPolygon":
				err = json.Unmarshal(ft.Geometry.Coordinates, &mp)
			case "Polygon":
				var p [][][2]float64
				err = json.Unmarshal(ft.Geometry.Coordinates, &p)
				mp = [][][][2]float64{p}
			default:
				return nil, fmt.Errorf("read %s line %d: geometry type %q", path, n, ft.Geometry.Type)
			}
			if err != nil {
				return nil, fmt.Errorf("read %s line %d: %w", path, n, err)
			}
			fe := feature{code: ft.Properties.Code, province: ft.Properties.Province}
			for _, poly := range mp {
				var rings [][]pt
				for _, r := range poly {
					q := make([]pt, 0, len(r))
					for _, c := range r {
						p := pt{int64(math.Round(c[0] / quantum)), int64(math.Round(c[1] / quantum))}
						if len(q) > 0 && q[len(q)-1] == p {
							continue
						}
						q = append(q, p)
					}
					for len(q) > 1 && q[len(q)-1] == q[0] {
						q = q[:len(q)-1]
					}
					if len(q) < 3 {
						continue // a degenerate ring carries no area
					}
					rings = append(rings, q)
				}
				if len(rings) > 0 {
					fe.polygons = append(fe.polygons, rings)
				}
			}
			out = append(out, fe)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out, nil
}

// neighbours records the distinct vertices next to a vertex over every
// ring; a vertex with other than two is a junction where arcs are cut.
type neighbours struct {
	n    int8
	seen [3]pt
}

func (nb *neighbours) add(p pt) {
	for i := 0; i < int(nb.n) && i < 3; i++ {
		if nb.seen[i] == p {
			return
		}
	}
	if nb.n < 3 {
		nb.seen[nb.n] = p
	}
	if nb.n < 4 {
		nb.n++
	}
}

// arcTopology is the shared-arc form of the features: arcs (each a vertex
// sequence) and, per feature, polygon -> ring -> arc references (~i =
// arc i reversed), as in TopoJSON.
type arcTopology struct {
	arcs [][]pt
	refs [][][][]int // feature -> polygon -> ring -> arc refs
}

// buildTopology cuts every ring at its junctions and stores each piece once,
// so neighbouring communes refer to the same arc along their common border
// (the way TopoJSON does). A ring without junctions (an island, or an
// enclave and the hole around it) becomes one closed arc starting at its
// smallest vertex, so the enclave and the hole share it.
func buildTopology(fs []feature) *arcTopology {
	nbs := map[pt]*neighbours{}
	for _, f := range fs {
		for _, poly := range f.polygons {
			for _, r := range poly {
				n := len(r)
				for i, p := range r {
					nb := nbs[p]
					if nb == nil {
						nb = &neighbours{}
						nbs[p] = nb
					}
					nb.add(r[(i+n-1)%n])
					nb.add(r[(i+1)%n])
				}
			}
		}
	}
	junction := func(p pt) bool { return nbs[p].n != 2 }
	t := &arcTopology{}
	index := map[string]int{}
	var key bytes.Buffer
	ref := func(a []pt) int {
		fwd := a
		rev := make([]pt, len(a))
		for i, p := range a {
			rev[len(a)-1-i] = p
		}
		canon, sign := fwd, false
		if less(rev, fwd) {
			canon, sign = rev, true
		}
		key.Reset()
		var buf [16]byte
		for _, p := range canon {
			binary.LittleEndian.PutUint64(buf[:8], uint64(p[0]))
			binary.LittleEndian.PutUint64(buf[8:], uint64(p[1]))
			key.Write(buf[:])
		}
		i, ok := index[key.String()]
		if !ok {
			i = len(t.arcs)
			index[key.String()] = i
			t.arcs = append(t.arcs, append([]pt(nil), canon...))
		}
		if sign {
			return ^i
		}
		return i
	}
	for _, f := range fs {
		var fr [][][]int
		for _, poly := range f.polygons {
			var pr [][]int
			for _, r := range poly {
				n := len(r)
				start := -1
				for i, p := range r {
					if junction(p) {
						start = i
						break
					}
				}
				var refs []int
				if start < 0 {
					m := 0
					for i, p := range r {
						if p[0] < r[m][0] || p[0] == r[m][0] && p[1] < r[m][1] {
							m = i
						}
					}
					a := make([]pt, 0, n+1)
					for k := 0; k <= n; k++ {
						a = append(a, r[(m+k)%n])
					}
					refs = append(refs, ref(a))
				} else {
					a := []pt{r[start]}
					for k := 1; k <= n; k++ {
						p := r[(start+k)%n]
						a = append(a, p)
						if k == n || junction(p) {
							refs = append(refs, ref(a))
							a = []pt{p}
						}
					}
				}
				pr = append(pr, refs)
			}
			fr = append(fr, pr)
		}
		t.refs = append(t.refs, fr)
	}
	return t
}

func less(a, b []pt) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i][0] < b[i][0] || a[i][0] == b[i][0] && a[i][1] < b[i][1]
		}
	}
	return len(a) < len(b)
}

// simplify returns the arcs simplified by Douglas–Peucker at tol (in grid
// units), endpoints kept; a ring that would degenerate keeps its arcs
// unsimplified (and so do its neighbours along them: arcs stay shared).
func (t *arcTopology) simplify(tol float64) [][]pt {
	out := make([][]pt, len(t.arcs))
	for i, a := range t.arcs {
		out[i] = topo.SimplifyArc(a, tol)
	}
	for changed := true; changed; {
		changed = false
		for _, f := range t.refs {
			for _, poly := range f {
				for _, r := range poly {
					ring := assemble(out, r)
					if len(ring) >= 4 && area2(ring) != 0 {
						continue
					}
					for _, a := range r {
						i := a
						if i < 0 {
							i = ^i
						}
						if len(out[i]) != len(t.arcs[i]) {
							out[i] = t.arcs[i]
							changed = true
						}
					}
				}
			}
		}
	}
	return out
}

func assemble(arcs [][]pt, refs []int) []pt {
	var r []pt
	for j, a := range refs {
		var seq []pt
		if a >= 0 {
			seq = arcs[a]
		} else {
			src := arcs[^a]
			seq = make([]pt, len(src))
			for k, p := range src {
				seq[len(src)-1-k] = p
			}
		}
		if j > 0 {
			seq = seq[1:]
		}
		r = append(r, seq...)
	}
	return r
}

func area2(r []pt) int64 {
	var a int64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// writeTopoJSON writes a quantised TopoJSON (delta-encoded integer arcs,
// transform = the quantum grid) with one object "communes" whose
// geometries carry only code and province_code.
func writeTopoJSON(w io.Writer, fs []feature, refs [][][][]int, arcs [][]pt) error {
	minX, minY := int64(math.MaxInt64), int64(math.MaxInt64)
	for _, a := range arcs {
		for _, p := range a {
			minX, minY = min(minX, p[0]), min(minY, p[1])
		}
	}
	bw := bufio.NewWriter(w)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	fmt.Fprintf(bw, `{"type":"Topology","transform":{"scale":[%s,%s],"translate":[%s,%s]},"arcs":[`,
		f(quantum), f(quantum), f(float64(minX)*quantum), f(float64(minY)*quantum))
	for i, a := range arcs {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('[')
		var px, py int64
		for j, p := range a {
			if j > 0 {
				bw.WriteByte(',')
			}
			x, y := p[0]-minX, p[1]-minY
			fmt.Fprintf(bw, "[%d,%d]", x-px, y-py)
			px, py = x, y
		}
		bw.WriteByte(']')
	}
	bw.WriteString(`],"objects":{"communes":{"type":"GeometryCollection","geometries":[`)
	for i, fe := range fs {
		if i > 0 {
			bw.WriteByte(',')
		}
		r := refs[i]
		if r == nil {
			r = [][][]int{}
		}
		rb, err := json.Marshal(r)
		if err != nil {
			return err
		}
		props, err := json.Marshal(map[string]string{"code": fe.code, "province_code": fe.province})
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "\n{\"type\":\"MultiPolygon\",\"arcs\":%s,\"properties\":%s}", rb, props)
	}
	bw.WriteString("]}}}\n")
	return bw.Flush()
}
