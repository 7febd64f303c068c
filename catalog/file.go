package catalog

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// FileKind is what a file uploaded for a product is for.
type FileKind string

const (
	FileLogo       FileKind = "logo"       // the product's logo (LogoKey)
	FileScreenshot FileKind = "screenshot" // one of its screenshots (Screenshots)
	FileTerms      FileKind = "terms"      // a licence's terms (LicenseSpec.TermsKey)
)

// FileKinds lists the kinds, in the order the editor shows them.
var FileKinds = []FileKind{FileLogo, FileScreenshot, FileTerms}

// Valid reports whether k is a known kind.
func (k FileKind) Valid() bool { return slices.Contains(FileKinds, k) }

// The largest file of each kind, in bytes.
const (
	MaxLogoSize       = 1 << 20
	MaxScreenshotSize = 5 << 20
	MaxTermsSize      = 10 << 20
	// MaxFileSize is the largest file of any kind.
	MaxFileSize = MaxTermsSize
)

// MaxFiles is how many files a product may keep over its whole life: files
// are never deleted (a revision on sale may show them), so this bounds what
// one product can store.
const MaxFiles = 200

// fileRules are, by kind, the largest size and the accepted content types.
var fileRules = map[FileKind]struct {
	max                int64
	types              []string
	sizeMsgID, sizeMsg string
	typeMsgID, typeMsg string
}{
	FileLogo: {MaxLogoSize, imageTypes, "error.logo_size", "upload a logo of at most 1 MB",
		"error.image_type", "upload a PNG, JPEG or WebP image whose content matches its name"},
	FileScreenshot: {MaxScreenshotSize, imageTypes, "error.screenshot_size", "upload a screenshot of at most 5 MB",
		"error.image_type", "upload a PNG, JPEG or WebP image whose content matches its name"},
	FileTerms: {MaxTermsSize, []string{"application/pdf"}, "error.terms_size", "upload terms of at most 10 MB",
		"error.terms_type", "upload the terms as a PDF file whose name ends in .pdf"},
}

var imageTypes = []string{"image/png", "image/jpeg", "image/webp"}

// MaxSize is the largest file of the kind, in bytes (0 for an unknown kind).
func (k FileKind) MaxSize() int64 { return fileRules[k].max }

// SizeError is the error about a file too large for the kind (Invalid on
// "file"); for an unknown kind, it names the largest size of any.
func (k FileKind) SizeError() error {
	rule, ok := fileRules[k]
	if !ok {
		rule = fileRules[FileTerms]
	}
	return fault.Field("file", rule.sizeMsgID, rule.sizeMsg)
}

// ContentTypes lists the content types a file of the kind may have.
func (k FileKind) ContentTypes() []string { return slices.Clone(fileRules[k].types) }

// extensions are the file name endings that may carry each content type, the
// first being the one keys get.
var extensions = map[string][]string{
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/webp":      {".webp"},
	"application/pdf": {".pdf"},
}

// File is a file uploaded for a product. Its bytes are in the blob store under
// Key, which never changes: a new upload is a new file with a new key.
type File struct {
	ID          string
	ProductID   string
	Kind        FileKind
	Key         string
	Filename    string // as uploaded
	ContentType string // judged from the bytes
	Size        int64
	SHA256      string // hex
	UploadedBy  string
	CreatedAt   time.Time
}

// CheckFile decides whether an upload of the kind is acceptable and returns
// its content type. The type is what the first bytes show (the browser's claim
// is not trusted) and must be one the kind allows — PNG, JPEG or WebP for a
// logo or a screenshot, PDF for terms — and the name's extension must agree
// with it. Sizes: a logo at most 1 MiB, a screenshot 5 MiB, terms 10 MiB; never
// empty. head is the file's first bytes (512 are enough).
//
// Errors (Invalid): on "kind" (error.file_kind); on "file" (error.file_name,
// error.file_empty, error.logo_size, error.screenshot_size, error.terms_size,
// error.image_type, error.terms_type).
func CheckFile(kind FileKind, filename string, size int64, head []byte) (string, error) {
	rule, ok := fileRules[kind]
	if !ok {
		return "", fault.Field("kind", "error.file_kind", "choose logo, screenshot or terms")
	}
	if n := utf8.RuneCountInString(filename); n < 1 || n > 200 || !utf8.ValidString(filename) ||
		strings.ContainsAny(filename, "/\\") || strings.IndexFunc(filename, unicode.IsControl) >= 0 {
		return "", fault.Field("file", "error.file_name", "the file name must be 1 to 200 characters, without slashes")
	}
	if size <= 0 {
		return "", fault.Field("file", "error.file_empty", "the file is empty: choose it again")
	}
	if size > rule.max {
		return "", kind.SizeError()
	}
	got, _, _ := strings.Cut(http.DetectContentType(head), ";")
	if !slices.Contains(rule.types, got) || !slices.Contains(extensions[got], strings.ToLower(filepath.Ext(filename))) {
		return "", fault.Field("file", rule.typeMsgID, rule.typeMsg)
	}
	return got, nil
}

// FileKey is the blob key of a new file: "products/<product>/<kind>/<file>.<ext>",
// in the characters a key may have (see blobKey), so that it can be put in a
// product's content as is.
func FileKey(productID string, kind FileKind, fileID, contentType string) string {
	ext := ""
	if e := extensions[contentType]; len(e) > 0 {
		ext = e[0]
	}
	return "products/" + keyPart(productID) + "/" + string(kind) + "/" + keyPart(fileID) + ext
}

// keyPart writes an id in the characters of a key: letters and digits stay,
// anything else (the "_" of "prd_…") becomes "-".
func keyPart(id string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '-'
	}, id)
}

// FileRef is where a product's content refers to an uploaded file.
type FileRef struct {
	Field string // "logo_key", "screenshots[2]", "license.terms_key"
	Key   string
	Kind  FileKind
}

// FileRefs lists the files the content refers to, in the order of the editor.
func (p Product) FileRefs() []FileRef {
	var refs []FileRef
	if p.LogoKey != "" {
		refs = append(refs, FileRef{"logo_key", p.LogoKey, FileLogo})
	}
	for i, k := range p.Screenshots {
		refs = append(refs, FileRef{fmt.Sprintf("screenshots[%d]", i), k, FileScreenshot})
	}
	if p.License != nil && p.License.TermsKey != "" {
		refs = append(refs, FileRef{"license.terms_key", p.License.TermsKey, FileTerms})
	}
	return refs
}

// FileKeys lists the keys of the files the content refers to.
func (p Product) FileKeys() []string {
	var keys []string
	for _, r := range p.FileRefs() {
		keys = append(keys, r.Key)
	}
	return keys
}

// CheckFileRefs checks that every file the content refers to was uploaded for
// the product as a file of the kind its field needs: uploaded maps the keys of
// the product's files to their kinds. A key of another product's file, or a
// screenshot given as the logo, is refused; so is the same screenshot twice.
//
// Errors: Invalid on logo_key, screenshots[i] or license.terms_key
// (error.file_unknown, error.screenshot_duplicate).
func (p Product) CheckFileRefs(uploaded map[string]FileKind) error {
	seen := map[string]bool{}
	for _, r := range p.FileRefs() {
		if kind, ok := uploaded[r.Key]; !ok || kind != r.Kind {
			return fault.Field(r.Field, "error.file_unknown",
				fmt.Sprintf("this is not a %s uploaded for this product: upload the file on the product's page", r.Kind))
		}
		if r.Kind == FileScreenshot {
			if seen[r.Key] {
				return fault.Field(r.Field, "error.screenshot_duplicate", "this screenshot is in the list already")
			}
			seen[r.Key] = true
		}
	}
	return nil
}
