package promo

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

// SegmentChange is a customer's segment from At on. The integrator keeps a
// customer's changes (its first segment at its creation) so that the segment
// at the time an order was paid is known later.
type SegmentChange struct {
	Segment account.Segment
	At      time.Time
}

// SegmentAt is the segment in force at t: that of the last change at or
// before t, "" when none was. changes may come in any order.
func SegmentAt(changes []SegmentChange, t time.Time) account.Segment {
	var seg account.Segment
	var last time.Time
	for _, c := range changes {
		if !c.At.After(t) && (seg == "" || !c.At.Before(last)) {
			seg, last = c.Segment, c.At
		}
	}
	return seg
}

// Admission is an account manager letting a customer outside the campaign's
// segments join it, from At until RevokedAt (zero: not revoked).
type Admission struct {
	CampaignID    string
	CustomerOrgID string
	By            string // the account manager's user id
	Note          string
	At            time.Time
	RevokedAt     time.Time
	RevokedBy     string
	RevokeNote    string
}

// Admitted reports whether one of the admissions held at t: admitted at or
// before t and not revoked at or before t.
func Admitted(admissions []Admission, t time.Time) bool {
	return slices.ContainsFunc(admissions, func(a Admission) bool {
		return !a.At.After(t) && (a.RevokedAt.IsZero() || a.RevokedAt.After(t))
	})
}

// InAudience reports whether a customer of the segment, admitted or not, may
// join the campaign.
func (c Campaign) InAudience(seg account.Segment, admitted bool) bool {
	return admitted || slices.Contains(c.Segments, seg)
}

// MaxNote is the longest note of an admission or a revocation, in characters.
const MaxNote = 500

// CheckAdmit checks that an account manager (its user id) may admit the
// customer to the campaign, or revoke its admission, with the note: only its
// own customers, with a note saying why, while the campaign is scheduled or
// active.
//
// Errors: Forbidden (error.not_your_customer); Invalid on "note"
// (error.note_required, error.note_long); InvalidState (error.campaign_state).
func CheckAdmit(c Campaign, customer account.Org, managerID, note string) error {
	note = strings.TrimSpace(note)
	switch {
	case customer.Kind != account.KindCustomer || customer.AccountManagerID == "" || customer.AccountManagerID != managerID:
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.not_your_customer", Message: "an account manager admits only its own customers"}
	case note == "":
		return fault.Field("note", "error.note_required", "say why: the note is kept with the admission")
	case utf8.RuneCountInString(note) > MaxNote:
		return fault.Field("note", "error.note_long", "keep the note under 500 characters")
	case c.State != Scheduled && c.State != Active:
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.campaign_state", Message: "customers are admitted to a scheduled or active campaign only"}
	}
	return nil
}
