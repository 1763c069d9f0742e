package render

import "testing"

func TestOfficeSVG(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"style sheet and classes dropped",
			`<svg><path d="M0 0" class="zr1-cls-2"></path><style ><![CDATA[.zr1-cls-2:hover {cursor:pointer;}]]></style></svg>`,
			`<svg><path d="M0 0"></path></svg>`},
		{"style to attributes, central baseline to dy",
			`<text dominant-baseline="central" text-anchor="start" style="font-size:13px;font-family:DejaVu Sans, sans-serif;font-weight:bold;" y="9" fill="#4b5563">Nguồn</text>`,
			`<text dy="0.35em" text-anchor="start" font-size="13px" font-family="DejaVu Sans, sans-serif" font-weight="bold" y="9" fill="#4b5563">Nguồn</text>`},
		{"halo drawn as a separate element",
			`<text dominant-baseline="central" style="font-size:14px;" transform="translate(5 6)" fill="#333" stroke="rgb(255,255,255)" stroke-width="2" paint-order="stroke" stroke-miterlimit="2">21</text>`,
			`<text dy="0.35em" font-size="14px" transform="translate(5 6)" stroke="rgb(255,255,255)" stroke-width="2" stroke-miterlimit="2" fill="rgb(255,255,255)" stroke-linejoin="round">21</text>` +
				`<text dy="0.35em" font-size="14px" transform="translate(5 6)" fill="#333">21</text>`},
		{"alphabetic baseline needs no shift, hanging does",
			`<text dominant-baseline="alphabetic" x="1">a</text><text dominant-baseline="hanging" x="1">b</text>`,
			`<text x="1">a</text><text dy="0.8em" x="1">b</text>`},
		{"font shorthand",
			`<text dominant-baseline="central" style="font: bold 12px DejaVu Sans, sans-serif" y="6">Không có số liệu</text>`,
			`<text dy="0.35em" font-size="12px" font-weight="bold" font-family="DejaVu Sans, sans-serif" y="6">Không có số liệu</text>`},
		{"stroke without paint-order kept", `<text stroke="#000" fill="#fff">c</text>`, `<text stroke="#000" fill="#fff">c</text>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(officeSVG([]byte(tt.in)))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if u := OfficeUnsafe([]byte(got)); u != "" {
				t.Errorf("still contains %q", u)
			}
		})
	}
}
