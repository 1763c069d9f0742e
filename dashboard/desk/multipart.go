package desk

import (
	"errors"
	"io"
	"mime/multipart"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// ReadParts reads an upload request's multipart body into u: each "file"
// part becomes a file of the upload, and "kind", "province" and "district"
// parts (200 bytes at most each) set opt. A kind that is not one of
// analytics.Kinds is refused once the body is read. On an error u is left
// for the caller to abort.
func ReadParts(mr *multipart.Reader, u *Upload, opt *Options) error {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return analytics.Errorf(analytics.CodeInvalid, "thân multipart hỏng / malformed multipart body: %v", err)
		}
		switch part.FormName() {
		case "file":
			if err := u.AddFile(part.FileName(), part); err != nil {
				return err
			}
		case "kind", "province", "district":
			v, _ := io.ReadAll(io.LimitReader(part, 200))
			val := strings.TrimSpace(string(v))
			switch part.FormName() {
			case "kind":
				opt.Kind = analytics.Kind(val)
			case "province":
				opt.Province = val
			case "district":
				opt.District = val
			}
		}
		part.Close()
	}
	if opt.Kind != "" && !opt.Kind.Valid() {
		return analytics.Errorf(analytics.CodeInvalid, "loại dữ liệu không rõ %q (models, sites, grades, incidents) / unknown kind %q", opt.Kind, opt.Kind)
	}
	return nil
}
