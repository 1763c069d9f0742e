// Package pptx writes PowerPoint (Office Open XML) presentations: 16:9
// slides of text boxes, tables and one picture each, with archive/zip and a
// few templates, since no maintained pure-Go PPTX writer is in go.mod. It
// holds the minimum a presentation needs (content types, relationships, one
// master, one blank layout, one theme). The briefing deck
// (dashboard/briefing.go) is its user.
//
// It imports the standard library only.
package pptx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"
)

// Slide geometry in EMU (914,400 per inch): 13.333 × 7.5 in (16:9).
const (
	SlideW = 12192000
	SlideH = 6858000
	Margin = 457200 // half-inch margin
)

// Deck is a presentation of slides, each a list of shape XML fragments and
// at most one picture (relationship rId2).
type Deck struct {
	Title   string
	Created time.Time
	Slides  []Slide
}

// Slide is one slide: its shapes (TextShape, TableShape, PictureShape) and
// at most one PNG picture, referenced as relationship rId2.
type Slide struct {
	Shapes []string
	Image  []byte // PNG, referenced as rId2
}

// Para is one paragraph of a text box or a table cell.
type Para struct {
	Text  string
	Size  int // points
	Bold  bool
	Color string // RRGGBB
	Align string // "l" (default), "ctr", "r"
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run writes a DrawingML paragraph. Arial maps to Liberation Sans on
// Linux, both with Vietnamese glyphs.
func (p Para) xml() string {
	var b strings.Builder
	b.WriteString("<a:p>")
	if p.Align != "" {
		b.WriteString(`<a:pPr algn="` + p.Align + `"/>`)
	}
	rpr := fmt.Sprintf(`lang="vi-VN" sz="%d"`, max(p.Size, 8)*100)
	if p.Bold {
		rpr += ` b="1"`
	}
	color := p.Color
	if color == "" {
		color = "1F2937"
	}
	b.WriteString(`<a:r><a:rPr ` + rpr + ` dirty="0"><a:solidFill><a:srgbClr val="` + color + `"/></a:solidFill>` +
		`<a:latin typeface="Arial"/><a:cs typeface="Arial"/></a:rPr><a:t>` + xmlText(p.Text) + `</a:t></a:r></a:p>`)
	return b.String()
}

// TextShape writes a text box of paragraphs at x, y of size cx × cy (EMU).
func TextShape(id, x, y, cx, cy int, ps ...Para) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<p:sp><p:nvSpPr><p:cNvPr id="%d" name="Text %d"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>`, id, id)
	fmt.Fprintf(&b, `<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>`, x, y, cx, cy)
	b.WriteString(`<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0"><a:normAutofit/></a:bodyPr><a:lstStyle/>`)
	for _, p := range ps {
		b.WriteString(p.xml())
	}
	b.WriteString(`</p:txBody></p:sp>`)
	return b.String()
}

// PictureShape writes a picture (relationship rel) at x, y of size cx × cy.
func PictureShape(id int, descr, rel string, x, y, cx, cy int) string {
	return fmt.Sprintf(`<p:pic><p:nvPicPr><p:cNvPr id="%d" name="Picture %d" descr="%s"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>`+
		`<p:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>`+
		`<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`,
		id, id, xmlAttr(descr), rel, x, y, cx, cy)
}

func xmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// TableShape writes a DrawingML table: the first row a dark header, then
// banded rows; widths are relative column weights; size is the font size
// in hundredths of a point.
func TableShape(id, x, y, cx int, widths []int, rows [][]string, size int) string {
	cols := FitColumns(cx, widths, rows, size)
	rowH := 370000
	if len(rows) > 12 {
		rowH = 4200000 / len(rows)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="%d" name="Table %d"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>`, id, id)
	fmt.Fprintf(&b, `<p:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></p:xfrm>`, x, y, cx, rowH*len(rows))
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid>`)
	for _, cw := range cols {
		fmt.Fprintf(&b, `<a:gridCol w="%d"/>`, cw)
	}
	b.WriteString(`</a:tblGrid>`)
	for i, row := range rows {
		fmt.Fprintf(&b, `<a:tr h="%d">`, rowH)
		for j := range widths {
			text := ""
			if j < len(row) {
				text = row[j]
			}
			fill, color, bold := "FFFFFF", "1F2937", ""
			if i == 0 {
				fill, color, bold = "1D4E89", "FFFFFF", ` b="1"`
			} else if i%2 == 0 {
				fill = "EEF2F7"
			}
			fmt.Fprintf(&b, `<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="vi-VN" sz="%d"%s dirty="0"><a:solidFill><a:srgbClr val="%s"/></a:solidFill><a:latin typeface="Arial"/><a:cs typeface="Arial"/></a:rPr><a:t>%s</a:t></a:r></a:p></a:txBody>`,
				size, bold, color, xmlText(text))
			fmt.Fprintf(&b, `<a:tcPr marL="91440" marR="91440" marT="45720" marB="45720" anchor="ctr"><a:solidFill><a:srgbClr val="%s"/></a:solidFill></a:tcPr></a:tc>`, fill)
		}
		b.WriteString(`</a:tr>`)
	}
	b.WriteString(`</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`)
	return b.String()
}

// Cell text metrics for sizing table columns (EMU): the left and right cell
// margins, and the advance of one character of Arial at 1 pt, taken wide
// (0.62 em, bold capitals and Vietnamese marks) so a word that is measured
// to fit does fit in PowerPoint and LibreOffice.
const (
	CellMarginsEMU = 2 * 91440
	charEmPerPt    = 0.62 * 12700
)

// TextWidth is the estimated width in EMU of s at size (hundredths of a pt).
func TextWidth(s string, size int) int {
	return int(math.Ceil(float64(utf8.RuneCountInString(s)) * charEmPerPt * float64(size) / 100))
}

// FitColumns sizes a table's columns to their content within cx: each
// column gets at least its longest word (so no header or value wraps inside
// a word), then what its longest cell needs to stay on one line, as far as
// the width allows (short cells first); what is left is shared by the
// weights. Hand-written: no Go library lays out PPTX tables. Only when the
// longest words alone do not fit are they scaled down together.
func FitColumns(cx int, weights []int, rows [][]string, size int) []int {
	n := len(weights)
	minW, prefW := make([]int, n), make([]int, n)
	for j := range n {
		for _, row := range rows {
			if j >= len(row) {
				continue
			}
			prefW[j] = max(prefW[j], TextWidth(row[j], size)+CellMarginsEMU)
			for _, w := range strings.Fields(row[j]) {
				minW[j] = max(minW[j], TextWidth(w, size)+CellMarginsEMU)
			}
		}
		minW[j] = max(minW[j], CellMarginsEMU)
	}
	out := make([]int, n)
	sumMin, sumExtra, sumWeight := 0, 0, 0
	for j := range n {
		sumMin += minW[j]
		sumExtra += max(prefW[j]-minW[j], 0)
		sumWeight += max(weights[j], 0)
	}
	switch {
	case sumMin >= cx:
		for j := range n {
			out[j] = cx * minW[j] / sumMin
		}
	case sumMin+sumExtra >= cx:
		// Water-filling: short cells stay whole, the long ones share the rest.
		left := cx - sumMin
		open := map[int]bool{}
		for j := range n {
			out[j] = minW[j]
			open[j] = prefW[j] > minW[j]
		}
		for {
			count := 0
			for j := range n {
				if open[j] {
					count++
				}
			}
			if count == 0 {
				break
			}
			share, done := left/count, false
			for j := range n {
				if open[j] && prefW[j]-minW[j] <= share {
					out[j], left, open[j], done = prefW[j], left-(prefW[j]-minW[j]), false, true
				}
			}
			if !done {
				for j := range n {
					if open[j] {
						out[j] += share
					}
				}
				break
			}
		}
	default:
		left := cx - sumMin - sumExtra
		for j := range n {
			out[j] = minW[j] + max(prefW[j]-minW[j], 0)
			if sumWeight > 0 {
				out[j] += left * max(weights[j], 0) / sumWeight
			}
		}
	}
	used := 0
	for j := range n - 1 {
		used += out[j]
	}
	if n > 0 {
		out[n-1] = cx - used
	}
	return out
}

const (
	nsA = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	nsR = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	nsP = `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	xh  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	// emptyTree opens a shape tree: its group properties are required.
	emptyTree = `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>` +
		`<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>`
	relsNS  = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

var deckTemplates = template.Must(template.New("deck").Funcs(template.FuncMap{
	"x":   xmlText,
	"add": func(a, b int) int { return a + b },
}).Parse(`
{{define "content_types"}}` + xh + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>` +
	`<Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/>` +
	`<Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/>` +
	`<Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>` +
	`{{range $i, $s := .Slides}}<Override PartName="/ppt/slides/slide{{add $i 1}}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>{{end}}` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>{{end}}

{{define "root_rels"}}` + xh + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="ppt/presentation.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relBase + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>{{end}}

{{define "core"}}` + xh + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>{{x .Title}}</dc:title><dc:creator>ANTQ Atlas</dc:creator><dc:language>vi-VN</dc:language>` +
	`<dcterms:created xsi:type="dcterms:W3CDTF">{{.Created.UTC.Format "2006-01-02T15:04:05Z"}}</dcterms:created>` +
	`</cp:coreProperties>{{end}}

{{define "app"}}` + xh + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>ANTQ Atlas</Application><Slides>{{len .Slides}}</Slides></Properties>{{end}}

{{define "presentation"}}` + xh + `<p:presentation ` + nsA + ` ` + nsR + ` ` + nsP + `>` +
	`<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>` +
	`<p:sldIdLst>{{range $i, $s := .Slides}}<p:sldId id="{{add $i 256}}" r:id="rId{{add $i 3}}"/>{{end}}</p:sldIdLst>` +
	`<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>` +
	`</p:presentation>{{end}}

{{define "presentation_rels"}}` + xh + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `slideMaster" Target="slideMasters/slideMaster1.xml"/>` +
	`<Relationship Id="rId2" Type="` + relBase + `theme" Target="theme/theme1.xml"/>` +
	`{{range $i, $s := .Slides}}<Relationship Id="rId{{add $i 3}}" Type="` + relBase + `slide" Target="slides/slide{{add $i 1}}.xml"/>{{end}}` +
	`</Relationships>{{end}}

{{define "master"}}` + xh + `<p:sldMaster ` + nsA + ` ` + nsR + ` ` + nsP + `>` +
	`<p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>` + emptyTree + `</p:spTree></p:cSld>` +
	`<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>` +
	`<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>` +
	`<p:txStyles><p:titleStyle><a:lvl1pPr><a:defRPr sz="3200"/></a:lvl1pPr></p:titleStyle><p:bodyStyle><a:lvl1pPr><a:defRPr sz="1800"/></a:lvl1pPr></p:bodyStyle><p:otherStyle><a:lvl1pPr><a:defRPr sz="1800"/></a:lvl1pPr></p:otherStyle></p:txStyles>` +
	`</p:sldMaster>{{end}}

{{define "master_rels"}}` + xh + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `slideLayout" Target="../slideLayouts/slideLayout1.xml"/>` +
	`<Relationship Id="rId2" Type="` + relBase + `theme" Target="../theme/theme1.xml"/>` +
	`</Relationships>{{end}}

{{define "layout"}}` + xh + `<p:sldLayout ` + nsA + ` ` + nsR + ` ` + nsP + ` type="blank" preserve="1">` +
	`<p:cSld name="Blank"><p:spTree>` + emptyTree + `</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>{{end}}

{{define "layout_rels"}}` + xh + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `slideMaster" Target="../slideMasters/slideMaster1.xml"/>` +
	`</Relationships>{{end}}

{{define "slide"}}` + xh + `<p:sld ` + nsA + ` ` + nsR + ` ` + nsP + `><p:cSld><p:spTree>` + emptyTree +
	`{{range .Shapes}}{{.}}{{end}}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>{{end}}

{{define "slide_rels"}}` + xh + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `slideLayout" Target="../slideLayouts/slideLayout1.xml"/>` +
	`{{if .Image}}<Relationship Id="rId2" Type="` + relBase + `image" Target="../media/image{{.N}}.png"/>{{end}}` +
	`</Relationships>{{end}}
`))

// themeXML is a plain Office theme: the colour scheme of the charts, Arial,
// and the three fill, line, effect and background styles a theme must list.
const themeXML = xh + `<a:theme ` + nsA + ` name="ANTQ Atlas"><a:themeElements>` +
	`<a:clrScheme name="ANTQ Atlas">` +
	`<a:dk1><a:srgbClr val="1F2937"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>` +
	`<a:dk2><a:srgbClr val="2E4057"/></a:dk2><a:lt2><a:srgbClr val="EEF2F7"/></a:lt2>` +
	`<a:accent1><a:srgbClr val="1D4E89"/></a:accent1><a:accent2><a:srgbClr val="D1495B"/></a:accent2>` +
	`<a:accent3><a:srgbClr val="00798C"/></a:accent3><a:accent4><a:srgbClr val="EDAE49"/></a:accent4>` +
	`<a:accent5><a:srgbClr val="66A182"/></a:accent5><a:accent6><a:srgbClr val="8D6A9F"/></a:accent6>` +
	`<a:hlink><a:srgbClr val="1D4E89"/></a:hlink><a:folHlink><a:srgbClr val="8D6A9F"/></a:folHlink></a:clrScheme>` +
	`<a:fontScheme name="ANTQ Atlas"><a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>` +
	`<a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
	`<a:fmtScheme name="ANTQ Atlas"><a:fillStyleLst>` +
	`<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>` +
	`</a:fillStyleLst><a:lnStyleLst>` +
	`<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>` +
	`</a:lnStyleLst><a:effectStyleLst>` +
	`<a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>` +
	`</a:effectStyleLst><a:bgFillStyleLst>` +
	`<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>` +
	`</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`

// Write zips the deck. Entries carry the deck's date, so the same data give
// the same bytes (and ETag).
func (d Deck) Write() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mod := d.Created
	if mod.IsZero() || mod.Year() < 1980 {
		mod = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	add := func(name string, body []byte, method uint16) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: mod})
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	tmpl := func(name, def string, data any) error {
		var b bytes.Buffer
		if err := deckTemplates.ExecuteTemplate(&b, def, data); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return add(name, b.Bytes(), zip.Deflate)
	}
	// [Content_Types].xml goes first, as readers expect.
	steps := []struct{ name, def string }{
		{"[Content_Types].xml", "content_types"},
		{"_rels/.rels", "root_rels"},
		{"docProps/core.xml", "core"},
		{"docProps/app.xml", "app"},
		{"ppt/presentation.xml", "presentation"},
		{"ppt/_rels/presentation.xml.rels", "presentation_rels"},
		{"ppt/slideMasters/slideMaster1.xml", "master"},
		{"ppt/slideMasters/_rels/slideMaster1.xml.rels", "master_rels"},
		{"ppt/slideLayouts/slideLayout1.xml", "layout"},
		{"ppt/slideLayouts/_rels/slideLayout1.xml.rels", "layout_rels"},
	}
	for _, s := range steps {
		if err := tmpl(s.name, s.def, d); err != nil {
			return nil, err
		}
	}
	if err := add("ppt/theme/theme1.xml", []byte(themeXML), zip.Deflate); err != nil {
		return nil, err
	}
	for i, s := range d.Slides {
		n := i + 1
		if err := tmpl(fmt.Sprintf("ppt/slides/slide%d.xml", n), "slide", s); err != nil {
			return nil, err
		}
		rel := struct {
			Image bool
			N     int
		}{len(s.Image) > 0, n}
		if err := tmpl(fmt.Sprintf("ppt/slides/_rels/slide%d.xml.rels", n), "slide_rels", rel); err != nil {
			return nil, err
		}
		if len(s.Image) > 0 {
			// PNG is compressed already.
			if err := add(fmt.Sprintf("ppt/media/image%d.png", n), s.Image, zip.Store); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
