package topo

import (
	"math"

	"github.com/paulmach/orb"
)

// Coord is the type of a point's coordinates: float64 degrees (orb.Point,
// at run time) or int64 grid units (the bundle builder's quantised points,
// analytics/commune/refdata).
type Coord interface{ ~int64 | ~float64 }

// Simplify simplifies one arc with Douglas–Peucker (SimplifyArc); a closed
// arc that would collapse below a ring is kept as it is.
func Simplify(a []orb.Point, tol float64) []orb.Point {
	out := SimplifyArc(a, tol)
	if len(a) > 2 && a[0] == a[len(a)-1] && len(out) < 4 {
		return a
	}
	return out
}

// SimplifyArc simplifies one arc with Douglas–Peucker at tol, keeping its
// two endpoints (the points where it meets other arcs). A closed arc (an
// island or an enclave) is cut at its point farthest from the start so that
// each half keeps a real chord.
func SimplifyArc[P ~[2]T, T Coord](a []P, tol float64) []P {
	if len(a) <= 2 {
		return a
	}
	if a[0] == a[len(a)-1] {
		far, fd := 0, -1.0
		for i, p := range a {
			if d := sqDist(p, a[0]); d > fd {
				far, fd = i, d
			}
		}
		if far == 0 || far == len(a)-1 {
			return a
		}
		h1 := DouglasPeucker(a[:far+1], tol)
		h2 := DouglasPeucker(a[far:], tol)
		return append(h1, h2[1:]...)
	}
	return DouglasPeucker(a, tol)
}

// DouglasPeucker keeps the endpoints of a and every point farther than tol
// from the chord of the span it splits.
func DouglasPeucker[P ~[2]T, T Coord](a []P, tol float64) []P {
	keep := make([]bool, len(a))
	keep[0], keep[len(a)-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, len(a) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, bd := -1, tol*tol
		for k := s.i + 1; k < s.j; k++ {
			if d := segSqDist(a[k], a[s.i], a[s.j]); d > bd {
				best, bd = k, d
			}
		}
		if best < 0 {
			continue
		}
		keep[best] = true
		stack = append(stack, span{s.i, best}, span{best, s.j})
	}
	out := make([]P, 0, len(a)/4+2)
	for i, k := range keep {
		if k {
			out = append(out, a[i])
		}
	}
	return out
}

func sqDist[P ~[2]T, T Coord](p, q P) float64 {
	dx, dy := float64(p[0])-float64(q[0]), float64(p[1])-float64(q[1])
	return dx*dx + dy*dy
}

// segSqDist is the squared distance from p to the segment ab.
func segSqDist[P ~[2]T, T Coord](p, a, b P) float64 {
	dx, dy := float64(b[0])-float64(a[0]), float64(b[1])-float64(a[1])
	if dx == 0 && dy == 0 {
		return sqDist(p, a)
	}
	t := ((float64(p[0])-float64(a[0]))*dx + (float64(p[1])-float64(a[1]))*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	ex, ey := float64(p[0])-(float64(a[0])+t*dx), float64(p[1])-(float64(a[1])+t*dy)
	return ex*ex + ey*ey
}
