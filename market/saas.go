package market

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// SaaS products are delivered by calling the seller's production endpoint
// (docs/saas-protocol.md): newInstance when paid, refreshInstance when
// renewed (updateInstanceStatus NORMAL first when it had been frozen),
// updateInstanceStatus FREEZE when the term ends, upgradeInstance, and
// releaseInstance when the grace period ends or the line is refunded.
//
// A call may take seconds, so none is made inside a transaction: the
// deliverer reads what it needs, calls, records the exchange in a
// transaction of its own (also when the call failed), then stores the result
// and finishes the delivery in another.

// errNoSaaSClient fails SaaS deliveries of a service built without a client.
var errNoSaaSClient = errors.New("market: no SaaS client configured to call production endpoints")

// saasLine is what a SaaS delivery needs to know of its line.
type saasLine struct {
	order    order.Order
	line     order.Line
	sub      subscription.Subscription
	hasSub   bool
	instance store.SaaSInstance
	opened   bool // the instance row exists
	endpoint saas.Endpoint
}

// lineID is the protocol's orderLineId of a line: "<order>-<line no>". It is
// also the row id the initial password is sealed under.
func lineID(orderID string, no int) string { return orderID + "-" + strconv.Itoa(no) }

// loadSaaSLine reads a delivery's line, its subscription, its instance and
// the product's endpoint with its signing key.
func (s *Service) loadSaaSLine(ctx context.Context, orderID string, lineNo int) (saasLine, error) {
	var sl saasLine
	o, err := s.store.Order(ctx, orderID)
	if err != nil {
		return sl, err
	}
	if lineNo < 1 || lineNo > len(o.Lines) {
		return sl, fmt.Errorf("market: order %s has no line %d", orderID, lineNo)
	}
	sl.order, sl.line = o, o.Lines[lineNo-1]
	if sl.sub, sl.hasSub, err = s.store.SubscriptionOfLine(ctx, o.ID, lineNo); err != nil {
		return sl, err
	}
	if sl.instance, sl.opened, err = s.store.SaaSInstanceOfLine(ctx, o.ID, lineNo); err != nil {
		return sl, err
	}
	sl.endpoint, err = s.saasEndpoint(ctx, sl.line.ProductID)
	return sl, err
}

// saasEndpoint is a product's production endpoint as published, with its
// signing key opened.
func (s *Service) saasEndpoint(ctx context.Context, productID string) (saas.Endpoint, error) {
	e, err := s.store.Product(ctx, productID)
	if err != nil {
		return saas.Endpoint{}, err
	}
	if e.Listing.Live == nil {
		return saas.Endpoint{}, fmt.Errorf("market: product %s has no published revision", productID)
	}
	p, err := s.liveContent(ctx, productID, e.Listing.Live.Number)
	if err != nil {
		return saas.Endpoint{}, err
	}
	if p.SaaS == nil || p.SaaS.Endpoint == "" {
		return saas.Endpoint{}, fmt.Errorf("market: product %s has no production endpoint", productID)
	}
	key, err := s.signingKey(ctx, productID)
	return saas.Endpoint{URL: p.SaaS.Endpoint, AccessKey: productID, Key: key}, err
}

// signingKey opens a SaaS product's signing key.
func (s *Service) signingKey(ctx context.Context, productID string) (string, error) {
	if s.secrets == nil {
		return "", errors.New("market: no secret key configured to open the signing key")
	}
	sealed, err := s.store.SigningKey(ctx, productID)
	if err != nil {
		return "", err
	}
	if sealed == "" {
		return "", fmt.Errorf("market: product %s has no signing key", productID)
	}
	key, err := s.secrets.Open(sealed, productID)
	if err != nil {
		return "", fmt.Errorf("market: the signing key of %s: %w", productID, err)
	}
	return string(key), nil
}

// call makes one call for a delivery (d zero: a seller's test order) and
// records its exchange in a transaction of its own, whatever happened.
func (s *Service) call(ctx context.Context, d delivery.Delivery, productID string, ep saas.Endpoint, r saas.Request, test bool) (saas.Response, store.SaaSExchange, error) {
	var (
		resp saas.Response
		ex   saas.Exchange
		err  error
	)
	if s.saas == nil {
		ex, err = saas.Exchange{Activity: r.Activity(), URL: ep.URL, Started: s.now(), Error: errNoSaaSClient.Error()}, errNoSaaSClient
	} else {
		resp, ex, err = s.saas.Call(ctx, ep, r)
	}
	rec := store.SaaSExchange{ID: ids.New("sx"), DeliveryID: d.ID, OrderID: d.OrderID, LineNo: d.LineNo, ProductID: productID,
		SellerOrgID: d.SellerOrgID, Activity: string(ex.Activity), URL: ex.URL, RequestBody: ex.RequestBody, HTTPStatus: ex.HTTPStatus,
		ResponseBody: ex.ResponseBody, ResponseTruncated: ex.ResponseTruncated, ResultCode: string(ex.ResultCode), Error: ex.Error,
		Test: test, StartedAt: ex.Started.UTC().Truncate(time.Microsecond), Duration: ex.Duration}
	if rec.StartedAt.IsZero() {
		rec.StartedAt = s.now()
	}
	if werr := s.store.Write(ctx, func(tx *store.Tx) error { return tx.AddSaaSExchange(ctx, rec) }); werr != nil {
		return resp, rec, errors.Join(err, werr)
	}
	return resp, rec, err
}

// refused marks a seller's deliberate refusal (000002, 000003, 0001xx) as
// one no retry mends; any other error is left to be retried.
func refused(err error) error {
	var e *saas.Error
	if errors.As(err, &e) && e.Code.Final() {
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return err
}

// deliverSaaS carries out a delivery of a SaaS line.
func (s *Service) deliverSaaS(ctx context.Context, d delivery.Delivery) error {
	sl, err := s.loadSaaSLine(ctx, d.OrderID, d.LineNo)
	if err != nil {
		return err
	}
	in := sl.instance
	live := sl.opened && in.State != store.SaaSOpening && in.State != store.SaaSFailed && in.State != store.SaaSReleased
	switch {
	case d.Action == delivery.Open:
		return s.openInstance(ctx, d, sl)
	case d.Action == delivery.Release && sl.opened && in.State != store.SaaSReleased:
		return s.releaseInstance(ctx, d, sl)
	case !live: // never opened, failed or released: nothing to act on
		return s.finishSaaS(ctx, d, nil)
	case d.Action == delivery.Renew:
		return s.renewInstance(ctx, d, sl)
	case d.Action == delivery.Upgrade:
		return s.upgradeInstance(ctx, d, sl)
	case d.Action == delivery.Freeze:
		_, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, saas.UpdateInstanceStatusRequest{InstanceID: in.InstanceID, InstanceStatus: saas.StatusFreeze}, false)
		if err != nil {
			return refused(err)
		}
		in.State = store.SaaSFrozen
		return s.finishSaaS(ctx, d, &in)
	}
	return s.finishSaaS(ctx, d, nil)
}

// finishSaaS stores the instance as it now is (when given) and marks the
// delivery done, in one transaction.
func (s *Service) finishSaaS(ctx context.Context, d delivery.Delivery, in *store.SaaSInstance) error {
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if in != nil {
			in.UpdatedAt = now
			if err := tx.SaveSaaSInstance(ctx, *in); err != nil {
				return err
			}
		}
		return s.finishDelivery(ctx, tx, d, now)
	})
}

// newInstanceRequest is the newInstance of a line.
func newInstanceRequest(d delivery.Delivery, sl saasLine, customer string, email string) saas.NewInstanceRequest {
	l := sl.line
	r := saas.NewInstanceRequest{OrderID: sl.order.ID, OrderLineID: lineID(sl.order.ID, l.No), BusinessID: d.ID, CustomerID: sl.order.BuyerOrgID,
		CustomerName: customer, Email: email, ProductID: l.ProductID, SKUCode: l.Plan, ProvisionType: saas.ProvisionFormal, Amount: l.Paid}
	r.ChargingMode, r.PeriodType, r.PeriodNumber = charging(l.Mode, l.Periods)
	if l.Trial {
		r.ProvisionType = saas.ProvisionTrial
	}
	if sl.hasSub {
		r.ExpireTime = saas.At(sl.sub.PeriodEnd)
	}
	return r
}

// charging is the protocol's charging mode and period of a billing mode.
func charging(m catalog.BillingMode, periods int) (saas.ChargingMode, saas.PeriodType, int) {
	switch m {
	case catalog.Monthly:
		return saas.ChargingPeriod, saas.PeriodMonth, max(periods, 1)
	case catalog.Yearly:
		return saas.ChargingPeriod, saas.PeriodYear, max(periods, 1)
	case catalog.PayPerUse:
		return saas.ChargingPayPerUse, "", 0
	}
	return saas.ChargingOneTime, "", 0
}

// openInstance opens the instance of a line: newInstance, or, after the
// seller answered 000004, queryInstance until it is NORMAL or FAILED.
func (s *Service) openInstance(ctx context.Context, d delivery.Delivery, sl saasLine) error {
	in := sl.instance
	if !sl.opened {
		in = store.SaaSInstance{OrderID: sl.order.ID, LineNo: sl.line.No, ProductID: sl.line.ProductID, BuyerOrgID: sl.order.BuyerOrgID,
			SellerOrgID: sl.line.SellerOrgID, Plan: sl.line.Plan, Trial: sl.line.Trial,
			CreatedAt: s.now()}
	}
	switch in.State {
	case store.SaaSNormal, store.SaaSFrozen, store.SaaSReleased: // opened before (a job run twice)
		return s.finishSaaS(ctx, d, nil)
	case store.SaaSOpening:
		resp, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, saas.QueryInstanceRequest{InstanceIDs: []string{in.InstanceID}}, false)
		if err != nil {
			return refused(err)
		}
		for _, info := range resp.Info {
			if info.InstanceID != in.InstanceID {
				continue
			}
			switch info.Status {
			case saas.StatusProcessing:
				return ErrPending
			case saas.StatusFailed, saas.StatusReleased:
				in.State, in.UpdatedAt = store.SaaSFailed, s.now()
				if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
					return err
				}
				return fmt.Errorf("%w: the seller reports instance %s %s", ErrRefused, in.InstanceID, info.Status)
			}
			if info.AppInfo == nil || info.AppInfo.FrontEndURL == "" {
				return fmt.Errorf("market: instance %s is %s without appInfo.frontEndUrl", in.InstanceID, info.Status)
			}
			return s.opened(ctx, d, sl, in, in.InstanceID, info.AppInfo)
		}
		// The seller does not know it (any more): ask again below, with the
		// same order line, which must give the same instance.
	}
	buyer, err := s.store.Org(ctx, sl.order.BuyerOrgID)
	if err != nil {
		return err
	}
	email := ""
	if u, err := s.store.User(ctx, sl.order.BuyerUserID); err == nil {
		email = u.Email
	}
	resp, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, newInstanceRequest(d, sl, buyer.Name, email), false)
	switch {
	case saas.Processing(err):
		in.InstanceID, in.State, in.UpdatedAt = resp.InstanceID, store.SaaSOpening, s.now()
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
			return err
		}
		return ErrPending
	case err != nil:
		return refused(err)
	}
	return s.opened(ctx, d, sl, in, resp.InstanceID, resp.AppInfo)
}

// opened stores an instance the seller opened, its initial password opened
// with the product's key and sealed with the server's, tells the buyers, and
// finishes the delivery.
func (s *Service) opened(ctx context.Context, d delivery.Delivery, sl saasLine, in store.SaaSInstance, id string, app *saas.AppInfo) error {
	in.InstanceID, in.State = id, store.SaaSNormal
	in.FrontEndURL, in.AdminURL, in.UserName, in.Password = app.FrontEndURL, app.AdminURL, app.UserName, ""
	if app.Password != "" {
		plain, err := saas.OpenPassword(sl.endpoint.Key, app.Password)
		if err != nil {
			return err // the seller sealed it with another key: it may fix that
		}
		in.Password = s.secrets.Seal([]byte(plain), lineID(in.OrderID, in.LineNo))
	}
	now := s.now()
	l := sl.line
	return s.store.Write(ctx, func(tx *store.Tx) error {
		in.UpdatedAt = now
		if err := tx.SaveSaaSInstance(ctx, in); err != nil {
			var fe *fault.Error
			if errors.As(err, &fe) && fe.MsgID == "error.saas_instance_taken" {
				return fmt.Errorf("%w: %w", ErrRefused, err)
			}
			return err
		}
		buyers, err := tx.OrgMembers(ctx, sl.order.BuyerOrgID, account.RoleBuyer)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, buyers, notice.Notification{Kind: "saas.opened", Link: instanceLink(in.OrderID, in.LineNo),
			TitleEN: "Ready: " + l.ProductName.EN, TitleZH: "已开通：" + l.ProductName.ZH,
			BodyEN: "Sign in at " + in.FrontEndURL + ". Your initial password is shown once on the instance's page.",
			BodyZH: "登录地址：" + in.FrontEndURL + "。初始密码在实例页面上仅显示一次。"}); err != nil {
			return err
		}
		return s.finishDelivery(ctx, tx, d, now)
	})
}

// instanceLink is the buyer's page of an instance.
func instanceLink(orderID string, lineNo int) string {
	return "/orders/" + orderID + "/lines/" + strconv.Itoa(lineNo) + "/instance"
}

// renewInstance brings a frozen instance back, then moves its expiry to the
// subscription's new end (scene TRIAL_TO_FORMAL for a trial converted).
func (s *Service) renewInstance(ctx context.Context, d delivery.Delivery, sl saasLine) error {
	in := sl.instance
	if in.State == store.SaaSFrozen {
		_, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, saas.UpdateInstanceStatusRequest{InstanceID: in.InstanceID, InstanceStatus: saas.StatusNormal}, false)
		if err != nil {
			return refused(err)
		}
		in.State, in.UpdatedAt = store.SaaSNormal, s.now()
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
			return err
		}
	}
	renewal, err := s.store.Order(ctx, d.Cause)
	if err != nil {
		return err
	}
	r := saas.RefreshInstanceRequest{InstanceID: in.InstanceID, OrderID: renewal.ID, OrderLineID: lineID(renewal.ID, 1), Scene: saas.SceneRenewal,
		ExpireTime: saas.At(sl.sub.PeriodEnd), Amount: renewal.Payable}
	if in.Trial {
		r.Scene = saas.SceneTrialToFormal
	}
	if len(renewal.Lines) > 0 {
		_, r.PeriodType, r.PeriodNumber = charging(renewal.Lines[0].Mode, renewal.Lines[0].Periods)
	}
	if !sl.hasSub {
		r.ExpireTime = saas.At(s.now())
	}
	if _, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, r, false); err != nil {
		return refused(err)
	}
	in.Trial = false
	return s.finishSaaS(ctx, d, &in)
}

// upgradeInstance moves an instance to the plan its upgrade order paid for.
func (s *Service) upgradeInstance(ctx context.Context, d delivery.Delivery, sl saasLine) error {
	in := sl.instance
	up, err := s.store.Order(ctx, d.Cause)
	if err != nil {
		return err
	}
	if len(up.Lines) == 0 {
		return fmt.Errorf("market: upgrade order %s has no line", up.ID)
	}
	plan := up.Lines[0].Plan
	r := saas.UpgradeInstanceRequest{InstanceID: in.InstanceID, OrderID: up.ID, OrderLineID: lineID(up.ID, 1), ProductID: in.ProductID,
		SKUCode: plan, Amount: up.Payable}
	if _, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, r, false); err != nil {
		return refused(err)
	}
	in.Plan = plan
	return s.finishSaaS(ctx, d, &in)
}

// releaseInstance ends an instance: UNSUBSCRIBE when a refund asked,
// EXPIRED when its term ended. An instance the seller does not know
// (000003) counts as released.
func (s *Service) releaseInstance(ctx context.Context, d delivery.Delivery, sl saasLine) error {
	in := sl.instance
	if in.InstanceID == "" {
		return s.finishSaaS(ctx, d, nil)
	}
	scene := saas.SceneUnsubscribe
	if strings.HasPrefix(d.Cause, "term:") {
		scene = saas.SceneExpired
	}
	r := saas.ReleaseInstanceRequest{InstanceID: in.InstanceID, OrderID: in.OrderID, OrderLineID: lineID(in.OrderID, in.LineNo), Scene: scene}
	_, _, err := s.call(ctx, d, in.ProductID, sl.endpoint, r, false)
	var e *saas.Error
	if err != nil && !(errors.As(err, &e) && e.Code == saas.CodeInstanceNotFound) {
		return refused(err)
	}
	in.State = store.SaaSReleased
	return s.finishSaaS(ctx, d, &in)
}

// SaaSInstanceView is an instance as its buyers see it: how to reach it,
// and whether its initial password can still be revealed.
type SaaSInstanceView struct {
	OrderID       string
	LineNo        int
	ProductID     string
	ProductName   catalog.Text
	Plan          string
	InstanceID    string
	State         store.SaaSState
	Trial         bool
	FrontEndURL   string
	AdminURL      string
	UserName      string
	HasPassword   bool      // an initial password was given and not shown yet
	PasswordShown time.Time // when it was shown; zero if not
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func saasView(in store.SaaSInstance, name catalog.Text) SaaSInstanceView {
	return SaaSInstanceView{OrderID: in.OrderID, LineNo: in.LineNo, ProductID: in.ProductID, ProductName: name, Plan: in.Plan, InstanceID: in.InstanceID,
		State: in.State, Trial: in.Trial, FrontEndURL: in.FrontEndURL, AdminURL: in.AdminURL, UserName: in.UserName,
		HasPassword: in.Password != "" && in.PasswordShownAt.IsZero(), PasswordShown: in.PasswordShownAt, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt}
}

// SaaSInstance returns the instance of a line of an order the actor may read
// (its buyers, the seller of the line, operators); false when none was opened.
//
// Errors: NotFound.
func (s *Service) SaaSInstance(ctx context.Context, actor account.Actor, orderID string, lineNo int) (SaaSInstanceView, bool, error) {
	o, err := s.Order(ctx, actor, orderID)
	if err != nil {
		return SaaSInstanceView{}, false, err
	}
	for _, l := range o.Lines { // a seller's view of the order holds its lines only
		if l.No != lineNo {
			continue
		}
		in, ok, err := s.store.SaaSInstanceOfLine(ctx, o.ID, lineNo)
		if err != nil || !ok {
			return SaaSInstanceView{}, false, err
		}
		return saasView(in, l.ProductName), true, nil
	}
	return SaaSInstanceView{}, false, fault.New(fault.NotFound, "no such order line")
}

// SaaSInstances lists a customer's instances (its buyers, operators).
//
// Errors: Forbidden.
func (s *Service) SaaSInstances(ctx context.Context, actor account.Actor, orgID string) ([]SaaSInstanceView, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	list, err := s.store.SaaSInstances(ctx, orgID)
	out := make([]SaaSInstanceView, 0, len(list))
	names := map[string]catalog.Text{}
	for _, in := range list {
		name, ok := names[in.ProductID]
		if !ok {
			if o, err := s.store.Order(ctx, in.OrderID); err == nil && in.LineNo <= len(o.Lines) {
				name = o.Lines[in.LineNo-1].ProductName
			}
			names[in.ProductID] = name
		}
		out = append(out, saasView(in, name))
	}
	return out, err
}

// errPasswordShown refuses to reveal an initial password a second time.
var errPasswordShown = &fault.Error{Code: fault.InvalidState, MsgID: "error.saas_password_shown",
	Message: "the initial password was shown once already: change it in the application, or reset it there"}

// RevealSaaSPassword returns the initial password of a line's instance, once
// (its customer's buyers). The reveal is in the audit log.
//
// Errors: NotFound; InvalidState (error.saas_password_shown) when it was
// shown already or the seller gave none.
func (s *Service) RevealSaaSPassword(ctx context.Context, actor account.Actor, orderID string, lineNo int) (string, error) {
	o, err := s.store.Order(ctx, orderID)
	if err != nil || !account.Can(actor, account.Buy, account.Resource{OrgID: o.BuyerOrgID}) {
		return "", fault.New(fault.NotFound, "no such order")
	}
	if s.secrets == nil {
		return "", errors.New("market: no secret key configured")
	}
	now := s.now()
	var plain []byte
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		sealed, ok, err := tx.TakeSaaSPassword(ctx, orderID, lineNo, now)
		if err != nil {
			return err
		}
		if !ok {
			return errPasswordShown
		}
		if plain, err = s.secrets.Open(sealed, lineID(orderID, lineNo)); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "saas.reveal_password", objectType: "order_line",
			objectID: lineID(orderID, lineNo), orgID: o.BuyerOrgID, summary: "initial password of the SaaS instance shown"})
	})
	return string(plain), err
}

// ExchangeQuery chooses the exchanges a seller reads.
type ExchangeQuery struct {
	ProductID  string
	DeliveryID string
	Before     time.Time
	Limit      int
}

// SaaSExchanges lists the calls made to the production endpoints of the
// actor's company's products, newest first: its "production interface
// messages".
//
// Errors: Unauthorized; Forbidden.
func (s *Service) SaaSExchanges(ctx context.Context, actor account.Actor, q ExchangeQuery) ([]store.SaaSExchange, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	return s.store.SaaSExchanges(ctx, store.ExchangeFilter{SellerOrgID: org, ProductID: q.ProductID, DeliveryID: q.DeliveryID, Before: q.Before, Limit: q.Limit})
}

// window is how long a delivery of the action on a line of the type is
// tried: SaaS opens for the configured window, other opens for
// delivery.OpenWindow, everything else for delivery.OtherWindow.
func (s *Service) window(a delivery.Action, t catalog.Type) time.Duration {
	switch {
	case a == delivery.Open && t == catalog.TypeSaaS && s.saasOpenWindow > 0:
		return s.saasOpenWindow
	case a == delivery.Open:
		return delivery.OpenWindow
	}
	return delivery.OtherWindow
}

// RetryDelivery has a waiting or failed delivery of one of the seller's
// lines tried again by hand (the seller's admins and members): back to
// waiting, with a new deadline, queued again.
//
// Errors: NotFound; InvalidState (error.delivery_done when it is done;
// error.delivery_refunded for a failed open whose line was refunded).
func (s *Service) RetryDelivery(ctx context.Context, actor account.Actor, id string) (delivery.Delivery, error) {
	d, err := s.store.Delivery(ctx, id)
	if err != nil || !account.Can(actor, account.ManageProducts, account.Resource{OrgID: d.SellerOrgID}) {
		return delivery.Delivery{}, fault.New(fault.NotFound, "no such delivery")
	}
	if d.State == delivery.Done {
		return d, &fault.Error{Code: fault.InvalidState, MsgID: "error.delivery_done", Message: "this delivery is done: there is nothing to retry"}
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.Order(ctx, d.OrderID)
		if err != nil {
			return err
		}
		if d.State == delivery.Failed && d.Action == delivery.Open && !o.Lines[d.LineNo-1].Refunded.IsZero() {
			return &fault.Error{Code: fault.InvalidState, MsgID: "error.delivery_refunded",
				Message: "this line was refunded when its delivery failed: the buyer may buy it again"}
		}
		if err := tx.RetryDelivery(ctx, d.ID, now.Add(s.window(d.Action, d.ProductType)), now, d.UpdatedAt); err != nil {
			return err
		}
		switch d.Action {
		case delivery.Open:
			err = tx.SetDeliveryState(ctx, d.OrderID, order.Delivering)
		case delivery.Renew, delivery.Upgrade:
			err = tx.SetDeliveryState(ctx, d.Cause, order.Delivering)
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "delivery.retry", objectType: "delivery", objectID: d.ID, orgID: d.SellerOrgID,
			summary: fmt.Sprintf("%s of line %d of %s retried by hand (was %s)", d.Action, d.LineNo, d.OrderID, d.State)})
	})
	if err != nil {
		return d, err
	}
	return s.store.Delivery(ctx, id)
}

// SendTestOrder sends a newInstance with testFlag true to the production
// endpoint of one of the actor's company's SaaS products, as its latest
// revision gives it (no order, no money), and returns the recorded exchange.
// The call's outcome is in the exchange, not in the error.
//
// Errors: NotFound; InvalidState (error.not_saas; error.saas_no_endpoint
// when the product has no endpoint yet).
func (s *Service) SendTestOrder(ctx context.Context, actor account.Actor, productID string) (store.SaaSExchange, error) {
	e, err := s.ownProduct(ctx, actor, productID)
	if err != nil {
		return store.SaaSExchange{}, err
	}
	if e.Type != catalog.TypeSaaS {
		return store.SaaSExchange{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.not_saas", Message: "only SaaS products have a production endpoint"}
	}
	v, err := s.productView(ctx, e)
	if err != nil {
		return store.SaaSExchange{}, err
	}
	p := v.Content()
	if p.SaaS == nil || p.SaaS.Endpoint == "" {
		return store.SaaSExchange{}, &fault.Error{Code: fault.InvalidState, Field: "saas.endpoint", MsgID: "error.saas_no_endpoint",
			Message: "give the product its production endpoint first"}
	}
	key, err := s.signingKey(ctx, productID)
	if err != nil {
		return store.SaaSExchange{}, err
	}
	now := s.now()
	r := saas.NewInstanceRequest{OrderID: ids.New("tst"), BusinessID: ids.New("dlv"), CustomerID: e.SellerOrgID, CustomerName: v.SellerName,
		Email: actor.Email, ProductID: productID, ProvisionType: saas.ProvisionFormal, TestFlag: true}
	r.OrderLineID = lineID(r.OrderID, 1)
	plan := catalog.Plan{Code: "test", Mode: catalog.Monthly, Price: money.New(0, money.CNY)}
	for _, pl := range p.Plans {
		if pl.Active {
			plan = pl
			break
		}
	}
	r.SKUCode, r.Amount = plan.Code, money.New(0, plan.Currency())
	r.ChargingMode, r.PeriodType, r.PeriodNumber = charging(plan.Mode, 1)
	if r.ChargingMode == saas.ChargingPeriod {
		r.ExpireTime = saas.At(subscription.AddMonths(now, subscription.Months(plan.Mode, 1), now.Day(), time.UTC))
	}
	if !r.Amount.Currency.Supported() {
		r.Amount = money.New(0, money.CNY)
	}
	_, ex, err := s.call(ctx, delivery.Delivery{SellerOrgID: e.SellerOrgID}, productID, saas.Endpoint{URL: p.SaaS.Endpoint, AccessKey: productID, Key: key}, r, true)
	if ex.ID == "" { // not even recorded
		return ex, err
	}
	return ex, nil
}

// SellerKey opens a SaaS product's signing key, for a seller simulated in
// this very process (the demo's sellers under `cloudmart serve --demo`). A
// real seller is shown its key once, when it is made or rotated; nothing on
// the web reaches this.
func (s *Service) SellerKey(ctx context.Context, productID string) (string, error) {
	return s.signingKey(ctx, productID)
}
