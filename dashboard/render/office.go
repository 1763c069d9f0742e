package render

import (
	"bytes"
	"regexp"
	"strings"
)

// Office software (PowerPoint, LibreOffice) draws a subset of SVG: it
// ignores CSS (a <style> sheet and style="" attributes), `paint-order` and
// `dominant-baseline`. ECharts' SSR output relies on all three: its value
// labels are white-stroked text painted stroke first, which LibreOffice
// draws as white text on white. officeSVG rewrites that output into plain
// presentation attributes:
//
//   - the <style> sheet (hover rules only) and class attributes are dropped;
//   - style="font-size:…;font-family:…" on text becomes attributes;
//   - dominant-baseline becomes a dy shift (central ≈ 0.35em, hanging ≈
//     0.8em for DejaVu Sans; alphabetic needs none);
//   - a stroked text with paint-order="stroke" (a halo) becomes two
//     elements: first the halo, a copy filled and stroked in the stroke's
//     colour, then the text itself filled and unstroked. A program that
//     ignores stroke on text still draws the label in its own colour.
//
// Hand-written (regular expressions over a known, regular output) because
// no maintained Go library rewrites SVG presentation; the output is checked
// by tests (office_test.go) and by LibreOffice (dashboard tests).
func officeSVG(svg []byte) []byte {
	svg = styleSheetRE.ReplaceAll(svg, nil)
	svg = classAttrRE.ReplaceAll(svg, nil)
	return textRE.ReplaceAllFunc(svg, func(el []byte) []byte {
		m := textRE.FindSubmatch(el)
		attrs, body := string(m[1]), string(m[2])
		attrs = styleAttrRE.ReplaceAllStringFunc(attrs, func(s string) string {
			decl := styleAttrRE.FindStringSubmatch(s)[1]
			var out []string
			for _, d := range strings.Split(decl, ";") {
				k, v, ok := strings.Cut(d, ":")
				if !ok {
					continue
				}
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				switch k {
				case "font-size", "font-family", "font-weight", "font-style":
					out = append(out, k+`="`+strings.ReplaceAll(v, `"`, "'")+`"`)
				case "font": // shorthand "[style] [weight] size[/line-height] family"
					out = append(out, fontAttrs(v)...)
				}
			}
			return " " + strings.Join(out, " ")
		})
		attrs = baselineRE.ReplaceAllStringFunc(attrs, func(s string) string {
			switch baselineRE.FindStringSubmatch(s)[1] {
			case "central", "middle":
				return ` dy="0.35em"`
			case "hanging", "text-before-edge":
				return ` dy="0.8em"`
			case "text-after-edge", "ideographic":
				return ` dy="-0.2em"`
			}
			return ""
		})
		if !paintOrderRE.MatchString(attrs) {
			return []byte("<text" + attrs + ">" + body + "</text>")
		}
		attrs = paintOrderRE.ReplaceAllString(attrs, "")
		stroke := strokeRE.FindStringSubmatch(attrs)
		if stroke == nil || stroke[1] == "none" {
			return []byte("<text" + attrs + ">" + body + "</text>")
		}
		halo := fillRE.ReplaceAllString(attrs, "") + ` fill="` + stroke[1] + `" stroke-linejoin="round"`
		plain := strokeAnyRE.ReplaceAllString(attrs, "")
		return []byte("<text" + halo + ">" + body + "</text><text" + plain + ">" + body + "</text>")
	})
}

// fontAttrs splits the CSS font shorthand into presentation attributes.
func fontAttrs(v string) []string {
	f := strings.Fields(strings.ReplaceAll(v, `"`, "'"))
	for i, tok := range f {
		size, _, _ := strings.Cut(tok, "/")
		if !strings.HasSuffix(size, "px") && !strings.HasSuffix(size, "pt") && !strings.HasSuffix(size, "em") {
			continue
		}
		out := []string{`font-size="` + size + `"`}
		for _, pre := range f[:i] {
			switch pre {
			case "italic", "oblique":
				out = append(out, `font-style="`+pre+`"`)
			case "normal":
			default:
				out = append(out, `font-weight="`+pre+`"`)
			}
		}
		if fam := strings.Join(f[i+1:], " "); fam != "" {
			out = append(out, `font-family="`+fam+`"`)
		}
		return out
	}
	return nil
}

var (
	styleSheetRE = regexp.MustCompile(`(?s)<style[^>]*>.*?</style>\s*`)
	classAttrRE  = regexp.MustCompile(` class="[^"]*"`)
	textRE       = regexp.MustCompile(`(?s)<text((?:\s+[a-zA-Z:-]+="[^"]*")*)\s*>(.*?)</text>`)
	styleAttrRE  = regexp.MustCompile(` style="([^"]*)"`)
	baselineRE   = regexp.MustCompile(` dominant-baseline="([^"]*)"`)
	paintOrderRE = regexp.MustCompile(` paint-order="[^"]*"`)
	strokeRE     = regexp.MustCompile(` stroke="([^"]*)"`)
	fillRE       = regexp.MustCompile(` fill="[^"]*"`)
	strokeAnyRE  = regexp.MustCompile(` stroke(?:-[a-z]+)?="[^"]*"`)
)

// officeUnsafe lists what officeSVG removes and office software ignores,
// for tests: any of these left in an SVG we serve is a defect.
var officeUnsafe = [][]byte{[]byte("paint-order"), []byte("dominant-baseline"), []byte("<style"), []byte(` style="`), []byte(` class="`)}

// OfficeUnsafe returns the first construct office software ignores that svg
// still contains ("" when none): paint-order, dominant-baseline or CSS.
func OfficeUnsafe(svg []byte) string {
	for _, u := range officeUnsafe {
		if bytes.Contains(svg, u) {
			return string(u)
		}
	}
	return ""
}
