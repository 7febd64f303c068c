package seller

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// DocumentKind says what an uploaded document proves.
type DocumentKind string

const (
	BusinessLicense DocumentKind = "business_license"
	TaxRegistration DocumentKind = "tax_registration"
	BankProof       DocumentKind = "bank_proof"
	OtherDocument   DocumentKind = "other"
)

// DocumentKinds lists the kinds, in the order forms show them.
var DocumentKinds = []DocumentKind{BusinessLicense, TaxRegistration, BankProof, OtherDocument}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool { return slices.Contains(DocumentKinds, k) }

// MaxDocumentSize is the largest document accepted: 10 MiB.
const MaxDocumentSize = 10 << 20

// documentTypes are the accepted file types, by the extensions that may carry
// them.
var documentTypes = map[string]string{
	".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
}

// CheckDocument decides whether an upload is acceptable and returns its content
// type. The type is what the file's first bytes show (the browser's claim is
// not trusted), and it must agree with the file name's extension: a PDF, PNG
// or JPEG of at most MaxDocumentSize bytes, not empty.
//
// Errors: Invalid on "kind", "file" (error.document_type, error.document_size,
// error.document_name).
func CheckDocument(kind DocumentKind, filename string, size int64, head []byte) (string, error) {
	if !kind.Valid() {
		return "", fault.Field("kind", "error.document_kind", "choose business_license, tax_registration, bank_proof or other")
	}
	if n := utf8.RuneCountInString(filename); n < 1 || n > 200 || strings.ContainsAny(filename, "/\\\x00") {
		return "", fault.Field("file", "error.document_name", "the file name must be 1 to 200 characters, without slashes")
	}
	if size <= 0 {
		return "", fault.Field("file", "error.document_empty", "the file is empty: choose the document again")
	}
	if size > MaxDocumentSize {
		return "", fault.Field("file", "error.document_size", "upload a file of at most 10 MB")
	}
	want, ok := documentTypes[strings.ToLower(filepath.Ext(filename))]
	got := strings.TrimSuffix(strings.SplitN(http.DetectContentType(head), ";", 2)[0], " ")
	if !ok || got != want {
		return "", fault.Field("file", "error.document_type", "upload a PDF, PNG or JPEG file whose content matches its name")
	}
	return want, nil
}
