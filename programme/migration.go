package programme

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// MigrationKind is what kind of workload a seller moved to the cloud.
type MigrationKind string

const (
	SaaS        MigrationKind = "saas"
	Independent MigrationKind = "independently_deployed_application"
)

// MigrationKinds lists the kinds in the order forms show them.
var MigrationKinds = []MigrationKind{SaaS, Independent}

// MigrationState is where a declaration stands.
type MigrationState string

const (
	MigrationPending  MigrationState = "pending"
	MigrationVerified MigrationState = "verified"
	MigrationRejected MigrationState = "rejected"
)

// Migration is a seller's declaration of a workload migrated to the cloud.
// A verified one opens the sales trainings to the seller.
type Migration struct {
	ID          string
	SellerOrgID string
	UserID      string // who declared it
	Kind        MigrationKind
	Region      string // a region code of the catalogue
	Workload    string // what runs there
	Evidence    string // how an operator can check it: text, a URL
	State       MigrationState
	Reason      string // the operator's, when rejecting
	CreatedAt   time.Time
	DecidedAt   time.Time
	DecidedBy   string
}

// MaxEvidence is the longest evidence, in characters.
const MaxEvidence = 2_000

// ValidateMigration checks a declaration as a seller enters it; regions are
// the catalogue's region codes.
//
// Errors: Invalid on "kind" (error.migration_kind), "region"
// (error.migration_region), "workload" or "evidence"
// (error.programme_text_length).
func ValidateMigration(m Migration, regions []string) error {
	if !slices.Contains(MigrationKinds, m.Kind) {
		return &fault.Error{Code: fault.Invalid, Field: "kind", MsgID: "error.migration_kind",
			Message: "choose saas or independently_deployed_application"}
	}
	if !slices.Contains(regions, m.Region) {
		return &fault.Error{Code: fault.Invalid, Field: "region", MsgID: "error.migration_region",
			Message: "choose one of the marketplace's regions"}
	}
	if err := checkText("workload", m.Workload, MaxNote); err != nil {
		return err
	}
	return checkText("evidence", m.Evidence, MaxEvidence)
}

// MayDeclare decides whether the seller may declare a migration: only an
// approved seller that is not suspended takes part in the programmes.
//
// Errors: Forbidden (error.programme_seller_not_selling).
func MayDeclare(s Seller) error { return mustSell(s) }

// EvidenceURL returns the evidence as a link when it is one (http or https),
// so pages can link it; "" otherwise.
func EvidenceURL(evidence string) string {
	u, err := url.Parse(strings.TrimSpace(evidence))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

// Verify returns the declaration verified, or rejected with a reason, by an
// operator at now.
//
// Errors: InvalidState (error.migration_decided) when it was decided
// already; Invalid on "reason" (error.programme_reason) when rejecting
// without a reason, (error.programme_text_long) for a reason too long.
func Verify(m Migration, verified bool, reason, operatorID string, now time.Time) (Migration, error) {
	if m.State != MigrationPending {
		return m, &fault.Error{Code: fault.InvalidState, MsgID: "error.migration_decided",
			Message: "this declaration was " + string(m.State) + " already"}
	}
	reason = strings.TrimSpace(reason)
	if !verified && reason == "" {
		return m, &fault.Error{Code: fault.Invalid, Field: "reason", MsgID: "error.programme_reason", Message: "say why"}
	}
	if err := checkOptional("reason", reason, MaxNote); err != nil {
		return m, err
	}
	m.State, m.Reason, m.DecidedAt, m.DecidedBy = MigrationRejected, reason, now, operatorID
	if verified {
		m.State = MigrationVerified
	}
	return m, nil
}
