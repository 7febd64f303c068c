package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// Image products are delivered as cloud servers (ECS instances) through the
// compute provider (package delivery/ecs; docs/compute.md): one per unit
// bought, of the flavour the buyer chose, from the product's image, in the
// line's region. The end of a term stops them, a renewal starts them again,
// and the end of the grace period or a refund deletes them.
//
// Each unit's instance row is written before its server is asked for, with
// a sealed login password, so a delivery run again (a retry, a job run twice
// after a crash) sends the same client token and password and never makes a
// second server. The row's state is what the marketplace last saw; the
// provider's state decides what to do next.

// chooseFlavors returns the lines with each image line's flavour checked
// against its product's image, or, when the buyer chose none, the smallest
// flavour that fits. Lines of products not on sale, and other types, are left
// to order.Price. The flavour table belongs to the compute adapter
// (delivery/ecs), which the pure order package must not import, so the
// market checks the choice before pricing.
//
// Errors: Invalid on lines[i].flavor (error.flavor_unknown,
// error.flavor_arch, error.flavor_too_small, error.flavor_none when no
// flavour is large enough for the image).
func chooseFlavors(lines []order.LineRequest, offers map[string]order.Offer) ([]order.LineRequest, error) {
	out := slices.Clone(lines)
	for i, l := range out {
		off, ok := offers[l.ProductID]
		if !ok || off.Product.Type != catalog.TypeImage || off.Product.Image == nil {
			continue
		}
		field := "lines[" + strconv.Itoa(i) + "].flavor"
		if l.Flavor == "" {
			flavor, err := defaultFlavor(*off.Product.Image)
			if err != nil {
				return nil, &fault.Error{Code: fault.Invalid, Field: field, MsgID: err.MsgID, Message: err.Message}
			}
			out[i].Flavor = flavor
			continue
		}
		if err := ecs.CheckFlavor(l.Flavor, *off.Product.Image); err != nil {
			fe := *fault.As(err)
			fe.Field = field
			return nil, &fe
		}
	}
	return out, nil
}

// defaultFlavor is the smallest flavour that runs the image.
func defaultFlavor(img catalog.ImageSpec) (string, *fault.Error) {
	fits := ecs.FlavorsFor(img.Arch, img.MinVCPU, img.MinMemoryMiB)
	if len(fits) == 0 {
		return "", &fault.Error{Code: fault.Invalid, Field: "flavor", MsgID: "error.flavor_none",
			Message: "no flavour on offer is large enough for this image"}
	}
	return fits[0].Name, nil
}

// deliverImage carries out a delivery of an image line.
func (s *Service) deliverImage(ctx context.Context, d delivery.Delivery) error {
	switch d.Action {
	case delivery.Open:
		return s.openInstances(ctx, d)
	case delivery.Freeze:
		return s.eachInstance(ctx, d, s.stopInstance)
	case delivery.Renew:
		return s.eachInstance(ctx, d, s.startInstance)
	case delivery.Release:
		return s.eachInstance(ctx, d, s.deleteInstance)
	}
	// An upgrade changes the plan, not the servers.
	return s.store.Write(ctx, func(tx *store.Tx) error { return s.finishDelivery(ctx, tx, d, s.now()) })
}

// openInstances asks for a server for each unit of the line and, once all
// run, notes their addresses and finishes the delivery.
//
// Errors: ErrPending while a server builds; ErrRefused when the provider
// refuses a request as it is; a server that failed (replaced on the next
// try) or the provider's retryable errors.
func (s *Service) openInstances(ctx context.Context, d delivery.Delivery) error {
	units, err := s.lineUnits(ctx, d)
	if err != nil {
		return err
	}
	running := make([]ecs.Server, len(units))
	var errs []error
	pending := false
	for i, in := range units {
		srv, err := s.bootInstance(ctx, in)
		switch {
		case errors.Is(err, ErrRefused):
			return err // the delivery fails now; its release deletes what was made
		case err != nil:
			errs = append(errs, err)
		case srv.Status != ecs.Active:
			pending = true
		}
		running[i] = srv
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if pending {
		return ErrPending
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		for i, in := range units {
			was := in.UpdatedAt
			in.State, in.Address, in.LastError, in.UpdatedAt = store.InstanceRunning, running[i].Address, "", now
			if err := tx.SaveInstance(ctx, in, was); err != nil {
				return err
			}
		}
		o, err := tx.Order(ctx, d.OrderID)
		if err != nil {
			return err
		}
		buyers, err := tx.OrgMembers(ctx, o.BuyerOrgID, account.RoleBuyer)
		if err != nil {
			return err
		}
		name := o.Lines[d.LineNo-1].ProductName
		if err := s.notify(ctx, tx, buyers, notice.Notification{Kind: "instance.running", Link: "/instances",
			TitleEN: fmt.Sprintf("%d instances of %s running", len(units), name.EN), TitleZH: fmt.Sprintf("%s 的 %d 台实例已运行", name.ZH, len(units)),
			BodyEN: "Their addresses, login user and password are on their pages.", BodyZH: "地址、登录用户和密码见实例页面。"}); err != nil {
			return err
		}
		return s.finishDelivery(ctx, tx, d, now)
	})
}

// lineUnits returns the instance of each unit of the delivery's line,
// writing those not written yet.
//
// Errors: ErrRefused when the product has no image in the line's region.
func (s *Service) lineUnits(ctx context.Context, d delivery.Delivery) ([]store.Instance, error) {
	if s.secrets == nil {
		return nil, errors.New("market: no secret key configured to keep login passwords")
	}
	var units []store.Instance
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.Order(ctx, d.OrderID)
		if err != nil {
			return err
		}
		l := o.Lines[d.LineNo-1]
		if units, err = tx.LineInstances(ctx, o.ID, l.No); err != nil || len(units) >= l.Quantity {
			return err
		}
		p, err := s.soldContent(ctx, tx, l.ProductID)
		if err != nil {
			return err
		}
		if p.Image == nil || !slices.Contains(p.Image.ImageRegions, l.Region) {
			return fmt.Errorf("%w: product %s has no image in region %s", ErrRefused, p.ID, l.Region)
		}
		flavor := l.Flavor
		if flavor == "" { // bought before flavours were chosen
			var fe *fault.Error
			if flavor, fe = defaultFlavor(*p.Image); fe != nil {
				return fmt.Errorf("%w: %s", ErrRefused, fe.Message)
			}
		}
		now := s.now()
		units = units[:0]
		for unit := 1; unit <= l.Quantity; unit++ {
			id := ids.New("ins")
			in, err := tx.AddInstance(ctx, store.Instance{ID: id, OrderID: o.ID, LineNo: l.No, UnitNo: unit, BuyerOrgID: o.BuyerOrgID,
				SellerOrgID: l.SellerOrgID, ProductID: l.ProductID, Provider: s.computeName, Attempt: 1, Name: fmt.Sprintf("cloudmart-%s-%d-%d", o.ID, l.No, unit),
				Flavor: flavor, Region: l.Region, ImageRef: p.Image.ImageRef, State: store.InstanceCreating, LoginUser: p.Image.LoginUser,
				Password: s.secrets.Seal([]byte(ecs.NewPassword()), id), CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			units = append(units, in)
		}
		return nil
	})
	return units, err
}

// clientToken makes each server asked for unique: the unit, and after a
// failed server, the attempt.
func clientToken(in store.Instance) string {
	token := fmt.Sprintf("%s-%d-%d", in.OrderID, in.LineNo, in.UnitNo)
	if in.Attempt > 1 {
		token += "-" + strconv.Itoa(in.Attempt)
	}
	return token
}

// bootInstance asks for the unit's server, or looks at the one asked for,
// and returns it. A server in ERROR (or gone) is deleted and the attempt
// counted, so that the next try asks for another.
//
// Errors: ErrRefused; a server failed; the provider's.
func (s *Service) bootInstance(ctx context.Context, in store.Instance) (ecs.Server, error) {
	if in.State == store.InstanceRunning {
		return ecs.Server{Status: ecs.Active, Address: in.Address}, nil
	}
	if err := s.ownServer(in); err != nil {
		return ecs.Server{}, err
	}
	if in.ServerID == "" {
		pw, err := s.secrets.Open(in.Password, in.ID)
		if err != nil {
			return ecs.Server{}, fmt.Errorf("market: instance %s: %w", in.ID, err)
		}
		srv, err := s.compute.Create(ctx, ecs.CreateRequest{Name: in.Name, ImageRef: in.ImageRef, Flavor: in.Flavor, Region: in.Region,
			AdminPass: string(pw), ClientToken: clientToken(in), Metadata: map[string]string{
				"cloudmart_instance": in.ID, "cloudmart_order": in.OrderID, "cloudmart_product": in.ProductID, "cloudmart_buyer": in.BuyerOrgID}})
		if errors.Is(err, ecs.ErrRejected) {
			err = fmt.Errorf("%w: %w", ErrRefused, err)
			return ecs.Server{}, errors.Join(err, s.noteInstance(ctx, in, func(in *store.Instance) { in.State, in.LastError = store.InstanceFailed, err.Error() }))
		}
		if err != nil {
			return ecs.Server{}, err
		}
		return srv, s.noteInstance(ctx, in, func(in *store.Instance) { in.ServerID, in.LastError = srv.ID, "" })
	}
	srv, err := s.compute.Get(ctx, in.ServerID)
	switch {
	case errors.Is(err, ecs.ErrNotFound):
		srv = ecs.Server{ID: in.ServerID, Status: ecs.Error, Fault: "the server disappeared"}
	case err != nil:
		return ecs.Server{}, err
	}
	if srv.Status != ecs.Error {
		return srv, nil
	}
	if err := s.compute.Delete(ctx, srv.ID); err != nil {
		return ecs.Server{}, err
	}
	failed := fmt.Errorf("market: server %s of instance %s failed (%s): another is made", srv.ID, in.ID, srv.Fault)
	return ecs.Server{}, errors.Join(failed, s.noteInstance(ctx, in, func(in *store.Instance) {
		in.ServerID, in.Attempt, in.LastError = "", in.Attempt+1, failed.Error()
	}))
}

// ownServer checks that the instance's server, if it has one, is on the
// compute provider this marketplace runs with.
func (s *Service) ownServer(in store.Instance) error {
	if s.compute == nil {
		return errors.New("market: no compute provider configured")
	}
	if in.ServerID != "" && in.Provider != s.computeName {
		return fmt.Errorf("market: instance %s is on the %s provider, not %s", in.ID, in.Provider, s.computeName)
	}
	return nil
}

// noteInstance saves a change to an instance in its own transaction.
func (s *Service) noteInstance(ctx context.Context, in store.Instance, change func(*store.Instance)) error {
	was := in.UpdatedAt
	change(&in)
	in.UpdatedAt = s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error { return tx.SaveInstance(ctx, in, was) })
}

// eachInstance applies act to each instance of the delivery's line and, in
// one transaction, saves what changed and finishes the delivery. An act must
// be safe to repeat: a delivery that failed halfway acts on all again.
func (s *Service) eachInstance(ctx context.Context, d delivery.Delivery, act func(context.Context, store.Instance) (store.Instance, error)) error {
	units, err := s.store.LineInstances(ctx, d.OrderID, d.LineNo)
	if err != nil {
		return err
	}
	changed := make([]store.Instance, len(units))
	for i, in := range units {
		if changed[i], err = act(ctx, in); err != nil {
			if errors.Is(err, ecs.ErrRejected) {
				err = fmt.Errorf("%w: %w", ErrRefused, err)
			}
			return err
		}
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		for i, in := range changed {
			if in == units[i] {
				continue
			}
			in.UpdatedAt = now
			if err := tx.SaveInstance(ctx, in, units[i].UpdatedAt); err != nil {
				return err
			}
		}
		return s.finishDelivery(ctx, tx, d, now)
	})
}

// stopInstance powers a running instance off (its term ended).
func (s *Service) stopInstance(ctx context.Context, in store.Instance) (store.Instance, error) {
	if in.State != store.InstanceRunning {
		return in, nil
	}
	return s.moveInstance(ctx, in, s.compute.Stop, ecs.Shutoff, store.InstanceStopped)
}

// startInstance powers a stopped instance on again (it was renewed).
func (s *Service) startInstance(ctx context.Context, in store.Instance) (store.Instance, error) {
	if in.State != store.InstanceStopped {
		return in, nil
	}
	return s.moveInstance(ctx, in, s.compute.Start, ecs.Active, store.InstanceRunning)
}

// moveInstance asks the provider to act on the instance's server and
// returns the instance in state `to`. A server already where the action
// leads (an action repeated) is fine; a server gone is deleted.
func (s *Service) moveInstance(ctx context.Context, in store.Instance, act func(context.Context, string) error, want ecs.Status, to store.InstanceState) (store.Instance, error) {
	if err := s.ownServer(in); err != nil {
		return in, err
	}
	err := act(ctx, in.ServerID)
	if errors.Is(err, ecs.ErrInvalidState) {
		var srv ecs.Server
		if srv, err = s.compute.Get(ctx, in.ServerID); err == nil && srv.Status != want {
			err = fmt.Errorf("market: server %s of instance %s is %s", srv.ID, in.ID, srv.Status)
		}
	}
	switch {
	case errors.Is(err, ecs.ErrNotFound):
		in.State, in.Address = store.InstanceDeleted, ""
		return in, nil
	case err != nil:
		return in, err
	}
	in.State, in.LastError = to, ""
	return in, nil
}

// deleteInstance deletes an instance's server, whatever its state (the
// grace period ended, or it was refunded).
func (s *Service) deleteInstance(ctx context.Context, in store.Instance) (store.Instance, error) {
	if in.State == store.InstanceDeleted {
		return in, nil
	}
	if in.ServerID != "" {
		if err := s.ownServer(in); err != nil {
			return in, err
		}
		if err := s.compute.Delete(ctx, in.ServerID); err != nil {
			return in, err
		}
	}
	in.State, in.Address = store.InstanceDeleted, ""
	return in, nil
}

// InstanceView is an instance as people see it: never its password, which
// only RevealPassword gives, once.
type InstanceView struct {
	store.Instance
	ProductName catalog.Text
	// PasswordReady says the buyer may still see the password: the server
	// runs (or is stopped) and the password was not shown yet.
	PasswordReady bool
}

// instanceViews makes the views of instances, naming their products from
// the orders that bought them.
func (s *Service) instanceViews(ctx context.Context, list []store.Instance) ([]InstanceView, error) {
	names := map[string]catalog.Text{}
	out := make([]InstanceView, 0, len(list))
	for _, in := range list {
		key := in.OrderID + "/" + strconv.Itoa(in.LineNo)
		if _, ok := names[key]; !ok {
			o, err := s.store.Order(ctx, in.OrderID)
			if err != nil {
				return nil, err
			}
			for _, l := range o.Lines {
				names[o.ID+"/"+strconv.Itoa(l.No)] = l.ProductName
			}
		}
		out = append(out, instanceView(in, names[key]))
	}
	return out, nil
}

func instanceView(in store.Instance, name catalog.Text) InstanceView {
	ready := in.Password != "" && in.PasswordShownAt.IsZero() && (in.State == store.InstanceRunning || in.State == store.InstanceStopped)
	in.Password = ""
	return InstanceView{Instance: in, ProductName: name, PasswordReady: ready}
}

// Instances lists a customer organisation's instances (its buyers,
// operators), the newest order's first.
//
// Errors: Forbidden.
func (s *Service) Instances(ctx context.Context, actor account.Actor, buyerOrgID string) ([]InstanceView, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: buyerOrgID}); err != nil {
		return nil, err
	}
	list, err := s.store.Instances(ctx, store.InstanceFilter{BuyerOrgID: buyerOrgID})
	if err != nil {
		return nil, err
	}
	return s.instanceViews(ctx, list)
}

// SellerInstances lists the instances of the caller's seller company's
// products (its members), without passwords.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerInstances(ctx context.Context, actor account.Actor) ([]InstanceView, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	list, err := s.store.Instances(ctx, store.InstanceFilter{SellerOrgID: org})
	if err != nil {
		return nil, err
	}
	return s.instanceViews(ctx, list)
}

// Instance returns an instance to its customer's buyers, its product's
// seller and operators; to anyone else it does not exist.
//
// Errors: NotFound.
func (s *Service) Instance(ctx context.Context, actor account.Actor, id string) (InstanceView, error) {
	in, err := s.store.Instance(ctx, id)
	if err != nil {
		return InstanceView{}, err
	}
	if !account.Can(actor, account.ReadPurchases, account.Resource{OrgID: in.BuyerOrgID}) &&
		!account.Can(actor, account.ReadSales, account.Resource{OrgID: in.SellerOrgID}) {
		return InstanceView{}, fault.New(fault.NotFound, "no such instance")
	}
	views, err := s.instanceViews(ctx, []store.Instance{in})
	if err != nil {
		return InstanceView{}, err
	}
	return views[0], nil
}

// OrderInstances lists the instances of an order the actor may read, by
// line and unit (a seller's: those of its lines).
//
// Errors: NotFound.
func (s *Service) OrderInstances(ctx context.Context, actor account.Actor, orderID string) ([]InstanceView, error) {
	o, err := s.Order(ctx, actor, orderID)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Instances(ctx, store.InstanceFilter{OrderID: o.ID})
	if err != nil {
		return nil, err
	}
	var mine []store.Instance
	for _, in := range all {
		if slices.ContainsFunc(o.Lines, func(l order.Line) bool { return l.No == in.LineNo }) {
			mine = append(mine, in)
		}
	}
	return s.instanceViews(ctx, mine)
}

// RevealPassword gives the buyer an instance's login password, once: the
// marketplace then forgets it and never shows it again (the buyer changes
// it on the server, or resets it through the cloud, if it is lost). Only
// the customer's buyers may; operators and sellers never see it.
//
// Errors: NotFound; InvalidState (error.instance_not_ready: not running or
// stopped; error.password_shown: shown already).
func (s *Service) RevealPassword(ctx context.Context, actor account.Actor, id string) (string, error) {
	in, err := s.store.Instance(ctx, id)
	if err != nil {
		return "", err
	}
	if !account.Can(actor, account.Buy, account.Resource{OrgID: in.BuyerOrgID}) {
		return "", fault.New(fault.NotFound, "no such instance")
	}
	shown := &fault.Error{Code: fault.InvalidState, MsgID: "error.password_shown",
		Message: "the password was shown once already and is not kept: change it on the server if it is lost"}
	switch {
	case in.Password == "" || !in.PasswordShownAt.IsZero():
		return "", shown
	case in.State != store.InstanceRunning && in.State != store.InstanceStopped:
		return "", &fault.Error{Code: fault.InvalidState, MsgID: "error.instance_not_ready", Message: "the instance is not running: its password is shown once it runs"}
	}
	if s.secrets == nil {
		return "", errors.New("market: no secret key configured to open login passwords")
	}
	pw, err := s.secrets.Open(in.Password, in.ID)
	if err != nil {
		return "", fmt.Errorf("market: instance %s: %w", in.ID, err)
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		took, err := tx.TakePassword(ctx, in.ID, in.Password, now)
		if err != nil {
			return err
		}
		if !took { // another request took it meanwhile
			return shown
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "instance.reveal_password", objectType: "instance",
			objectID: in.ID, orgID: in.BuyerOrgID, summary: "login password of instance " + in.ID + " shown to the buyer (once)"})
	})
	if err != nil {
		return "", err
	}
	return string(pw), nil
}

// computeNameOf is the name the instances of a provider are stored with.
func computeNameOf(o Options) string {
	if o.ComputeName == "" && o.Compute != nil {
		return "compute"
	}
	return o.ComputeName
}

// ReleaseInstances ends the line an instance belongs to at its buyer's
// request: a release delivery deletes all of the line's servers, and a
// subscription of the line is released, so nothing more is renewed or, for
// a pay-per-use plan, billed once the servers are gone. What was paid is not
// given back (a refund is asked for on the order). Asking twice asks once.
// Only the customer's buyers may.
//
// Errors: NotFound; InvalidState (error.instance_released: deleted already).
func (s *Service) ReleaseInstances(ctx context.Context, actor account.Actor, id string) error {
	in, err := s.store.Instance(ctx, id)
	if err != nil {
		return err
	}
	if !account.Can(actor, account.Buy, account.Resource{OrgID: in.BuyerOrgID}) {
		return fault.New(fault.NotFound, "no such instance")
	}
	if in.State == store.InstanceDeleted || in.State == store.InstanceFailed {
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.instance_released", Message: "this instance has been deleted already"}
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := s.askSubscription(ctx, tx, in.OrderID, in.LineNo, delivery.Release, "buyer", now); err != nil {
			return err
		}
		if sub, ok, err := tx.SubscriptionOfLine(ctx, in.OrderID, in.LineNo); err != nil {
			return err
		} else if ok && sub.State != subscription.Released {
			was := sub.UpdatedAt
			sub.State, sub.UpdatedAt = subscription.Released, now
			if err := tx.SaveSubscription(ctx, sub, was); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "instance.release", objectType: "instance",
			objectID: in.ID, orgID: in.BuyerOrgID, summary: fmt.Sprintf("the buyer released the instances of order %s line %d", in.OrderID, in.LineNo)})
	})
}
