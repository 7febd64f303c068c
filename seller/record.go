package seller

import "time"

// Record is an application as cloudmart keeps it: what the company stated, and
// where it stands in review. Application (the checks' view) is derived from it.
type Record struct {
	ID          string
	OrgID       string // the seller organisation applying
	ApplicantID string // the user who started it
	State       State

	LegalName          string
	RegistrationNumber string
	Country            string
	Established        Date // zero until stated
	RegionCodes        []string
	Offerings          []Offering
	PreSales           []Contact
	PostSales          []Contact
	Support            Schedule

	TaxBank            *TaxBank // masked; nil until entered
	TaxBankUpdatedAt   time.Time
	TaxBankCertifiedAt time.Time // zero unless certified
	TaxBankCertifiedBy string

	SubmittedAt time.Time
	DecidedAt   time.Time
	DecidedBy   string
	Reason      string // of the last step that needed one
	Revision    int    // counts every change, so a stale edit can be refused
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Application returns the view the checks judge, with the regions resolved and
// the company's signature of the agreement (nil if none).
func (r Record) Application(regions []Region, sig *Signature) Application {
	return Application{
		LegalName: r.LegalName, RegistrationNumber: r.RegistrationNumber, Country: r.Country,
		Established: r.Established, Regions: regions, Offerings: r.Offerings,
		PreSales: r.PreSales, PostSales: r.PostSales, Support: r.Support, Signature: sig,
		TaxBankEntered: r.TaxBank != nil, TaxBankCertified: r.TaxBank != nil && !r.TaxBankCertifiedAt.IsZero(),
	}
}

// Event is one step of an application's review, as the applicant sees it.
type Event struct {
	At       time.Time
	ActorID  string
	From, To State
	Reason   string
}

// Document is an uploaded file of an application. The bytes are in the blob
// store under BlobKey.
type Document struct {
	ID            string
	ApplicationID string
	Kind          DocumentKind
	Filename      string
	ContentType   string
	Size          int64
	SHA256        string
	BlobKey       string
	UploadedBy    string
	UploadedAt    time.Time
}
