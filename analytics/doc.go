// Package analytics is the domain of ANTQ Atlas: the records of the movement
// "Toàn dân bảo vệ an ninh Tổ quốc" (ANTQ), the 2025 communes they are shown
// on, periods, metrics, the contracts storage implements, and error codes.
//
// Words, kept with their Vietnamese meaning:
//   - model (mô hình): one original instance of a model type, e.g. a
//     "5 tự quản về ANTT" model hosted by one unit;
//   - site (điểm mô hình): one place a model was replicated to; sites open
//     and are retired ("thanh loại");
//   - grade (xếp loại): a site's yearly grade, Tốt / Khá / Trung bình / Yếu;
//   - incident (vụ việc): a case handled at the grassroots, received and
//     closed, with an outcome (hòa giải thành, ...); tips (tin báo) are
//     incidents of kind tip;
//   - commune (xã / phường / đặc khu): a 2025 commune, the unit every figure
//     is shown on since the merger of 1 July 2025.
//
// This package uses the standard library only. It must not import storage
// drivers, HTTP frameworks or any other package of this module.
package analytics
