// Package saas speaks cloudmart's SaaS production-endpoint protocol: the calls
// cloudmart makes to a seller's HTTPS endpoint to open, renew, freeze, upgrade,
// release and look up the instances buyers pay for.
//
// Both sides live here. cloudmart uses the Client (signed calls through a
// dialer that refuses private addresses, signed answers checked, one Exchange
// record per call). A seller writing Go implements Seller and serves
// NewHandler, which checks signatures, timestamps and nonces and signs the
// answers. docs/saas-protocol.md describes the wire format for sellers
// writing any other language; testdata/vectors.json holds test vectors.
package saas

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/money"
)

// Activity names the operation a call asks for (the body's "activity").
type Activity string

// The activities.
const (
	ActivityNewInstance          Activity = "newInstance"
	ActivityRefreshInstance      Activity = "refreshInstance"
	ActivityUpdateInstanceStatus Activity = "updateInstanceStatus"
	ActivityUpgradeInstance      Activity = "upgradeInstance"
	ActivityReleaseInstance      Activity = "releaseInstance"
	ActivityQueryInstance        Activity = "queryInstance"
)

// Code is an answer's resultCode.
type Code string

// The result codes. 0000xx are the protocol's own; 0001xx are a seller's
// business refusals of a new instance.
const (
	CodeSuccess          Code = "000000" // done
	CodeAuthFailed       Code = "000001" // bad signature, stale timestamp or replayed nonce
	CodeInvalidParam     Code = "000002" // the request is malformed or not acceptable
	CodeInstanceNotFound Code = "000003" // no such instance
	CodeProcessing       Code = "000004" // accepted; cloudmart polls queryInstance
	CodeInternal         Code = "000005" // the seller failed; cloudmart retries
	CodeNoResource       Code = "000100" // no capacity to open the instance
	CodeDuplicatePhone   Code = "000101" // the buyer's mobile phone is already registered
	CodeDuplicateEmail   Code = "000102" // the buyer's email is already registered
	CodeAlreadyPurchased Code = "000103" // the buyer already has this product
	CodeSoldOut          Code = "000104" // the product or SKU is sold out
)

// Business reports whether c is one of the seller's business refusals (0001xx).
func (c Code) Business() bool {
	return len(c) == 6 && c[:4] == "0001" && c[4] >= '0' && c[4] <= '9' && c[5] >= '0' && c[5] <= '9'
}

// Final reports whether a call answered with c must not be retried: the seller
// refused it on purpose (000002, 000003, 0001xx). Every other failure, even a
// seller's misconfiguration, is retried, because the seller can fix it while
// cloudmart keeps trying.
func (c Code) Final() bool {
	return c == CodeInvalidParam || c == CodeInstanceNotFound || c.Business()
}

// Error is a call refused by its answer's resultCode. A Seller returns one to
// answer with that code; the Client returns one for every answer whose code
// is not 000000.
type Error struct {
	Code Code
	Msg  string
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return "saas: result " + string(e.Code)
	}
	return fmt.Sprintf("saas: result %s: %s", e.Code, e.Msg)
}

// ChargingMode is how the buyer pays.
type ChargingMode string

// The charging modes.
const (
	ChargingPeriod    ChargingMode = "PERIOD"      // a subscription of periodNumber periods of periodType
	ChargingOneTime   ChargingMode = "ONE_TIME"    // paid once, no expiry
	ChargingPayPerUse ChargingMode = "PAY_PER_USE" // billed on use
)

// PeriodType is the unit of a subscription's period.
type PeriodType string

// The period types.
const (
	PeriodMonth PeriodType = "MONTH"
	PeriodYear  PeriodType = "YEAR"
)

// ProvisionType says whether a new instance is a trial.
type ProvisionType string

// The provision types.
const (
	ProvisionFormal ProvisionType = "FORMAL"
	ProvisionTrial  ProvisionType = "TRIAL"
)

// Scene says why an instance is refreshed or released.
type Scene string

// The scenes.
const (
	SceneTrialToFormal            Scene = "TRIAL_TO_FORMAL"            // refresh: a trial became a paid subscription
	SceneRenewal                  Scene = "RENEWAL"                    // refresh: the buyer renewed; expireTime moves later
	SceneUnsubscribeRenewalPeriod Scene = "UNSUBSCRIBE_RENEWAL_PERIOD" // refresh: a renewal was refunded; expireTime moves back
	SceneUnsubscribe              Scene = "UNSUBSCRIBE"                // release: the order was refunded or cancelled
	SceneExpired                  Scene = "EXPIRED"                    // release: the subscription ended (after any grace period)
)

// InstanceStatus is an instance's state, as updateInstanceStatus sets it and
// queryInstance reports it.
type InstanceStatus string

// The instance statuses. updateInstanceStatus only sets FREEZE or NORMAL.
const (
	StatusNormal     InstanceStatus = "NORMAL"
	StatusFreeze     InstanceStatus = "FREEZE"
	StatusProcessing InstanceStatus = "PROCESSING" // still being opened (after a 000004)
	StatusFailed     InstanceStatus = "FAILED"     // could not be opened; cloudmart refunds
	StatusReleased   InstanceStatus = "RELEASED"
)

// TimeLayout is how times travel: yyyyMMddHHmmss in UTC.
const TimeLayout = "20060102150405"

// Time is a time on the wire, in TimeLayout; the zero Time is left out.
type Time struct{ time.Time }

// At returns t as a wire time, in UTC to the second.
func At(t time.Time) Time { return Time{t.UTC().Truncate(time.Second)} }

// MarshalJSON writes t in TimeLayout, UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(TimeLayout))
}

// UnmarshalJSON reads TimeLayout; "" is the zero time.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("saas: time: %w", err)
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := time.Parse(TimeLayout, s)
	if err != nil {
		return fmt.Errorf("saas: time %q is not yyyyMMddHHmmss", s)
	}
	*t = Time{v}
	return nil
}

// Request is one of the typed requests below.
type Request interface {
	Activity() Activity
	// Validate reports the first missing or wrong field, as a *Error with
	// CodeInvalidParam.
	Validate() error
}

// NewInstanceRequest asks the seller to open an instance for an order line.
type NewInstanceRequest struct {
	OrderID       string        `json:"orderId"`
	OrderLineID   string        `json:"orderLineId"`
	BusinessID    string        `json:"businessId"` // cloudmart's id of this delivery; the same on every resend
	CustomerID    string        `json:"customerId"` // the buyer's organisation id
	CustomerName  string        `json:"customerName"`
	MobilePhone   string        `json:"mobilePhone,omitempty"`
	Email         string        `json:"email,omitempty"`
	ProductID     string        `json:"productId"`
	SKUCode       string        `json:"skuCode"` // the plan bought
	ChargingMode  ChargingMode  `json:"chargingMode"`
	PeriodType    PeriodType    `json:"periodType,omitempty"`   // PERIOD only
	PeriodNumber  int           `json:"periodNumber,omitempty"` // PERIOD only
	ProvisionType ProvisionType `json:"provisionType"`
	ExpireTime    Time          `json:"expireTime,omitzero"` // absent for ONE_TIME and PAY_PER_USE
	Amount        money.Amount  `json:"amount"`              // what the buyer paid, in minor units
	TestFlag      bool          `json:"testFlag"`            // a seller's test order: nobody paid
}

// RefreshInstanceRequest changes an instance's term.
type RefreshInstanceRequest struct {
	InstanceID   string       `json:"instanceId"`
	OrderID      string       `json:"orderId"`
	OrderLineID  string       `json:"orderLineId"`
	Scene        Scene        `json:"scene"`
	PeriodType   PeriodType   `json:"periodType,omitempty"`
	PeriodNumber int          `json:"periodNumber,omitempty"`
	ExpireTime   Time         `json:"expireTime"` // the new expiry
	Amount       money.Amount `json:"amount"`     // paid (RENEWAL, TRIAL_TO_FORMAL) or refunded (UNSUBSCRIBE_RENEWAL_PERIOD)
	TestFlag     bool         `json:"testFlag"`
}

// UpdateInstanceStatusRequest freezes an instance or brings it back.
type UpdateInstanceStatusRequest struct {
	InstanceID     string         `json:"instanceId"`
	InstanceStatus InstanceStatus `json:"instanceStatus"` // FREEZE or NORMAL
	TestFlag       bool           `json:"testFlag"`
}

// UpgradeInstanceRequest moves an instance to another SKU of its product.
type UpgradeInstanceRequest struct {
	InstanceID  string       `json:"instanceId"`
	OrderID     string       `json:"orderId"` // the upgrade's own order
	OrderLineID string       `json:"orderLineId"`
	ProductID   string       `json:"productId"`
	SKUCode     string       `json:"skuCode"` // the new plan
	Amount      money.Amount `json:"amount"`  // what the buyer paid for the change
	TestFlag    bool         `json:"testFlag"`
}

// ReleaseInstanceRequest ends an instance for good.
type ReleaseInstanceRequest struct {
	InstanceID  string `json:"instanceId"`
	OrderID     string `json:"orderId"`
	OrderLineID string `json:"orderLineId"`
	Scene       Scene  `json:"scene"` // UNSUBSCRIBE or EXPIRED
	TestFlag    bool   `json:"testFlag"`
}

// MaxInstanceIDLength is the longest instanceId cloudmart keeps.
const MaxInstanceIDLength = 64

// MaxQueryInstances is how many instance ids one queryInstance may carry.
const MaxQueryInstances = 100

// QueryInstanceRequest asks for the state of up to 100 instances.
type QueryInstanceRequest struct {
	InstanceIDs []string `json:"instanceIds"`
	TestFlag    bool     `json:"testFlag"`
}

func (NewInstanceRequest) Activity() Activity          { return ActivityNewInstance }
func (RefreshInstanceRequest) Activity() Activity      { return ActivityRefreshInstance }
func (UpdateInstanceStatusRequest) Activity() Activity { return ActivityUpdateInstanceStatus }
func (UpgradeInstanceRequest) Activity() Activity      { return ActivityUpgradeInstance }
func (ReleaseInstanceRequest) Activity() Activity      { return ActivityReleaseInstance }
func (QueryInstanceRequest) Activity() Activity        { return ActivityQueryInstance }

func invalid(field, why string) error {
	return &Error{Code: CodeInvalidParam, Msg: field + " " + why}
}

// required returns an error for the first empty value of name/value pairs.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return invalid(pairs[i], "is required")
		}
	}
	return nil
}

func checkAmount(a money.Amount) error {
	if !a.Currency.Supported() {
		return invalid("amount.currency", "is not a supported currency")
	}
	if a.Minor < 0 {
		return invalid("amount.minor", "is negative")
	}
	return nil
}

func checkPeriod(t PeriodType, n int) error {
	if t != PeriodMonth && t != PeriodYear {
		return invalid("periodType", "must be MONTH or YEAR")
	}
	if n < 1 {
		return invalid("periodNumber", "must be at least 1")
	}
	return nil
}

// Validate: see Request.
func (r NewInstanceRequest) Validate() error {
	if err := required("orderId", r.OrderID, "orderLineId", r.OrderLineID, "businessId", r.BusinessID,
		"customerId", r.CustomerID, "productId", r.ProductID, "skuCode", r.SKUCode); err != nil {
		return err
	}
	switch r.ChargingMode {
	case ChargingPeriod:
		if err := checkPeriod(r.PeriodType, r.PeriodNumber); err != nil {
			return err
		}
		if r.ExpireTime.IsZero() {
			return invalid("expireTime", "is required for PERIOD")
		}
	case ChargingOneTime, ChargingPayPerUse:
	default:
		return invalid("chargingMode", "must be PERIOD, ONE_TIME or PAY_PER_USE")
	}
	if r.ProvisionType != ProvisionFormal && r.ProvisionType != ProvisionTrial {
		return invalid("provisionType", "must be FORMAL or TRIAL")
	}
	return checkAmount(r.Amount)
}

// Validate: see Request.
func (r RefreshInstanceRequest) Validate() error {
	if err := required("instanceId", r.InstanceID, "orderId", r.OrderID, "orderLineId", r.OrderLineID); err != nil {
		return err
	}
	switch r.Scene {
	case SceneTrialToFormal, SceneRenewal, SceneUnsubscribeRenewalPeriod:
	default:
		return invalid("scene", "must be TRIAL_TO_FORMAL, RENEWAL or UNSUBSCRIBE_RENEWAL_PERIOD")
	}
	if r.ExpireTime.IsZero() {
		return invalid("expireTime", "is required")
	}
	return checkAmount(r.Amount)
}

// Validate: see Request.
func (r UpdateInstanceStatusRequest) Validate() error {
	if err := required("instanceId", r.InstanceID); err != nil {
		return err
	}
	if r.InstanceStatus != StatusFreeze && r.InstanceStatus != StatusNormal {
		return invalid("instanceStatus", "must be FREEZE or NORMAL")
	}
	return nil
}

// Validate: see Request.
func (r UpgradeInstanceRequest) Validate() error {
	if err := required("instanceId", r.InstanceID, "orderId", r.OrderID, "orderLineId", r.OrderLineID,
		"productId", r.ProductID, "skuCode", r.SKUCode); err != nil {
		return err
	}
	return checkAmount(r.Amount)
}

// Validate: see Request.
func (r ReleaseInstanceRequest) Validate() error {
	if err := required("instanceId", r.InstanceID, "orderId", r.OrderID, "orderLineId", r.OrderLineID); err != nil {
		return err
	}
	if r.Scene != SceneUnsubscribe && r.Scene != SceneExpired {
		return invalid("scene", "must be UNSUBSCRIBE or EXPIRED")
	}
	return nil
}

// Validate: see Request.
func (r QueryInstanceRequest) Validate() error {
	if len(r.InstanceIDs) == 0 || len(r.InstanceIDs) > MaxQueryInstances {
		return invalid("instanceIds", fmt.Sprintf("must hold 1 to %d ids", MaxQueryInstances))
	}
	for _, id := range r.InstanceIDs {
		if id == "" {
			return invalid("instanceIds", "holds an empty id")
		}
	}
	return nil
}

// AppInfo is how the buyer reaches a new instance.
type AppInfo struct {
	FrontEndURL string `json:"frontEndUrl"`
	AdminURL    string `json:"adminUrl,omitempty"`
	UserName    string `json:"userName,omitempty"`
	// Password is the initial password sealed with SealPassword; cloudmart
	// opens it and shows it to the buyer once.
	Password string `json:"password,omitempty"`
}

// InstanceInfo is one instance in a queryInstance answer.
type InstanceInfo struct {
	InstanceID string         `json:"instanceId"`
	Status     InstanceStatus `json:"status"`
	ExpireTime Time           `json:"expireTime,omitzero"`
	AppInfo    *AppInfo       `json:"appInfo,omitempty"` // once NORMAL after a 000004
}

// Response is every activity's answer; the fields an activity does not use
// are left out.
type Response struct {
	ResultCode Code           `json:"resultCode"`
	ResultMsg  string         `json:"resultMsg,omitempty"`
	InstanceID string         `json:"instanceId,omitempty"` // newInstance (also with 000004), and the instance acted on
	AppInfo    *AppInfo       `json:"appInfo,omitempty"`    // newInstance with 000000
	Info       []InstanceInfo `json:"info,omitempty"`       // queryInstance: the instances found; unknown ids are left out
}
