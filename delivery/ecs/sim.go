package ecs

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/ids"
)

// The Sim is a simulated compute service, built in so that demos and tests
// exercise every path of delivering an image without a cloud. It keeps its
// servers in cloudmart's database (through SimStorage), so they outlive a
// restart and every cloudmart process sees the same ones. A server is in
// BUILD for the boot time, then ACTIVE; it is given an address from the
// documentation ranges 203.0.113.0/24 and then 198.51.100.0/24, never two
// servers the same one. Tests (and a demo) can make it fail: FailCreates,
// FailBoots, FailAll and Break.
type Sim struct {
	store SimStorage
	boot  time.Duration
	now   func() time.Time

	mu          sync.Mutex
	failCreates int  // creates still to fail
	failBoots   int  // servers still to go to ERROR instead of ACTIVE
	down        bool // every call fails
}

// SimOptions configure a Sim.
type SimOptions struct {
	// Boot is how long a new server stays in BUILD; zero boots at once.
	Boot time.Duration
	// Now is the clock; the wall clock when nil.
	Now func() time.Time
}

// DefaultSimBoot is a boot time that lets a person see BUILD in a demo.
const DefaultSimBoot = 20 * time.Second

// SimServer is one of the Sim's servers as its storage keeps it. Status is
// where the last action left it; Server says what the server is at a time,
// since a server in BUILD becomes ACTIVE (or ERROR) by itself at ReadyAt.
type SimServer struct {
	ID          string
	ClientToken string // "" for none
	Name        string
	ImageRef    string
	Flavor      string
	Region      string
	Network     string
	KeyName     string
	Metadata    map[string]string
	Status      Status
	Fault       string
	FailBoot    bool   // goes to ERROR instead of ACTIVE at ReadyAt
	Address     string // held from creation until deletion
	CreatedAt   time.Time
	ReadyAt     time.Time
	UpdatedAt   time.Time
}

// SimStorage keeps the Sim's servers; package store implements it. Each
// method is one statement, safe to call concurrently.
type SimStorage interface {
	// AddSimServer saves a new server unless its ClientToken or Address is
	// taken already, in which case it saves nothing and returns false.
	AddSimServer(ctx context.Context, s SimServer) (bool, error)
	// SimServer returns the server with the id.
	//
	// Errors: ErrNotFound.
	SimServer(ctx context.Context, id string) (SimServer, error)
	// SimServerByToken returns the server created with the client token.
	//
	// Errors: ErrNotFound.
	SimServerByToken(ctx context.Context, token string) (SimServer, error)
	// SimAddresses lists the addresses that servers hold.
	SimAddresses(ctx context.Context) ([]string, error)
	// SetSimStatus moves the server from the status from to the status to,
	// with the fault, releasing its address when to is DELETED. It returns
	// false, changing nothing, when the server is not in from (it changed
	// meanwhile) or does not exist.
	SetSimStatus(ctx context.Context, id string, from, to Status, fault string, at time.Time) (bool, error)
}

// NewSim returns a Sim keeping its servers in st.
func NewSim(st SimStorage, o SimOptions) *Sim {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Sim{store: st, boot: o.Boot, now: o.Now}
}

// FailCreates makes the next n calls of Create fail with ErrUnavailable,
// making no server, as an overloaded cloud does.
func (s *Sim) FailCreates(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCreates = n
}

// FailBoots makes the next n servers created go to ERROR at the end of
// their boot time instead of ACTIVE.
func (s *Sim) FailBoots(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failBoots = n
}

// FailAll makes every call fail with ErrUnavailable while down is true: an
// outage of the whole service.
func (s *Sim) FailAll(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// BootFault is the Fault of a server that FailBoots sent to ERROR.
const BootFault = "simulated boot failure"

var errOutage = fmt.Errorf("%w: simulated outage", ErrUnavailable)

func (s *Sim) check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errOutage
	}
	return nil
}

// take counts down one of the failures in n, reporting whether there was one.
func (s *Sim) take(n *int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *n <= 0 {
		return false
	}
	*n--
	return true
}

func (s *Sim) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// maxTries bounds the attempts of a create whose address, or of an action
// whose server, a concurrent call keeps changing first.
const maxTries = 20

// Create makes a server. See Provider.
//
// Errors: ErrRejected (no name, image or region; an unknown flavour; a weak
// AdminPass; no address left), ErrUnavailable (FailCreates, FailAll).
func (s *Sim) Create(ctx context.Context, req CreateRequest) (Server, error) {
	if err := s.check(); err != nil {
		return Server{}, err
	}
	if s.take(&s.failCreates) {
		return Server{}, fmt.Errorf("%w: simulated failure to create", ErrUnavailable)
	}
	if err := checkSimRequest(req); err != nil {
		return Server{}, err
	}
	now := s.clock()
	rec := SimServer{
		ID: ids.New("srv"), ClientToken: req.ClientToken, Name: req.Name, ImageRef: req.ImageRef, Flavor: req.Flavor,
		Region: req.Region, Network: req.Network, KeyName: req.KeyName, Metadata: req.Metadata,
		Status: Build, CreatedAt: now, ReadyAt: now.Add(s.boot), UpdatedAt: now,
	}
	if rec.Network == "" {
		rec.Network = "sim-net"
	}
	for try := range maxTries {
		if req.ClientToken != "" {
			old, err := s.store.SimServerByToken(ctx, req.ClientToken)
			if err == nil {
				return old.Server(now), nil
			}
			if !errors.Is(err, ErrNotFound) {
				return Server{}, err
			}
		}
		if try == 0 { // a new server, not a retried create
			rec.FailBoot = s.take(&s.failBoots)
		}
		used, err := s.store.SimAddresses(ctx)
		if err != nil {
			return Server{}, err
		}
		if rec.Address = freeSimAddress(used, try > 0); rec.Address == "" {
			return Server{}, fmt.Errorf("%w: all %d simulated addresses are in use", ErrRejected, simAddressCount)
		}
		added, err := s.store.AddSimServer(ctx, rec)
		if err != nil || added {
			return rec.Server(now), err
		}
		// The token or the address was taken meanwhile: look again.
	}
	return Server{}, fmt.Errorf("%w: too many concurrent creates", ErrUnavailable)
}

func checkSimRequest(req CreateRequest) error {
	switch {
	case req.Name == "":
		return fmt.Errorf("%w: a server needs a name", ErrRejected)
	case req.ImageRef == "":
		return fmt.Errorf("%w: a server needs an image", ErrRejected)
	case req.Region == "":
		return fmt.Errorf("%w: a server needs a region", ErrRejected)
	}
	if _, ok := LookupFlavor(req.Flavor); !ok {
		return fmt.Errorf("%w: unknown flavour %q", ErrRejected, req.Flavor)
	}
	if req.AdminPass != "" {
		return CheckPassword(req.AdminPass)
	}
	return nil
}

// Get returns the server. See Provider.
//
// Errors: ErrNotFound, ErrUnavailable (FailAll).
func (s *Sim) Get(ctx context.Context, id string) (Server, error) {
	if err := s.check(); err != nil {
		return Server{}, err
	}
	rec, err := s.store.SimServer(ctx, id)
	if err != nil {
		return Server{}, err
	}
	srv := rec.Server(s.clock())
	if srv.Status == Deleted {
		return Server{}, fmt.Errorf("%w: %s was deleted", ErrNotFound, id)
	}
	return srv, nil
}

// Stop powers an ACTIVE server off. See Provider.
//
// Errors: ErrNotFound, ErrInvalidState, ErrUnavailable (FailAll).
func (s *Sim) Stop(ctx context.Context, id string) error {
	return s.move(ctx, id, []Status{Active}, Shutoff, "")
}

// Start powers a SHUTOFF server on. See Provider.
//
// Errors: ErrNotFound, ErrInvalidState, ErrUnavailable (FailAll).
func (s *Sim) Start(ctx context.Context, id string) error {
	return s.move(ctx, id, []Status{Shutoff}, Active, "")
}

// Break sends a server that is not deleted to ERROR with the fault (a
// default one when ""), as a host failure would.
//
// Errors: ErrNotFound, ErrUnavailable (FailAll).
func (s *Sim) Break(ctx context.Context, id, fault string) error {
	if fault == "" {
		fault = "simulated host failure"
	}
	return s.move(ctx, id, []Status{Build, Active, Shutoff, Error}, Error, fault)
}

// Delete deletes the server and frees its address. See Provider.
//
// Errors: ErrUnavailable (FailAll).
func (s *Sim) Delete(ctx context.Context, id string) error {
	err := s.move(ctx, id, []Status{Build, Active, Shutoff, Error}, Deleted, "")
	if errors.Is(err, ErrNotFound) {
		return nil // gone already
	}
	return err
}

// move changes the server's status to to, with the fault, if it is now in
// one of from. The
// change is conditional on the stored status, so of two concurrent actions
// one wins and the other decides again on what the first left.
func (s *Sim) move(ctx context.Context, id string, from []Status, to Status, fault string) error {
	if err := s.check(); err != nil {
		return err
	}
	for range maxTries {
		rec, err := s.store.SimServer(ctx, id)
		if err != nil {
			return err
		}
		now := s.clock()
		cur := rec.Server(now)
		if cur.Status == Deleted {
			return fmt.Errorf("%w: %s was deleted", ErrNotFound, id)
		}
		if !slices.Contains(from, cur.Status) {
			return fmt.Errorf("%w: %s is %s", ErrInvalidState, id, cur.Status)
		}
		moved, err := s.store.SetSimStatus(ctx, id, rec.Status, to, fault, now)
		if err != nil || moved {
			return err
		}
	}
	return fmt.Errorf("%w: %s keeps changing", ErrUnavailable, id)
}

// Server returns the server as it is at the time now.
func (r SimServer) Server(now time.Time) Server {
	srv := Server{ID: r.ID, Name: r.Name, Status: r.Status, Flavor: r.Flavor, Region: r.Region, Created: r.CreatedAt, Fault: r.Fault}
	if srv.Status == Build && !now.Before(r.ReadyAt) {
		srv.Status = Active
		if r.FailBoot {
			srv.Status, srv.Fault = Error, BootFault
		}
	}
	if srv.Status == Active || srv.Status == Shutoff {
		srv.Address = r.Address // as in a cloud, no address until it runs
	}
	return srv
}

// simAddressCount is how many addresses the Sim has: .1 to .254 of each
// documentation range (RFC 5737) it uses.
const simAddressCount = 2 * 254

// simAddress returns the i-th address of the Sim (0 ≤ i < simAddressCount).
func simAddress(i int) string {
	if i < 254 {
		return fmt.Sprintf("203.0.113.%d", i+1)
	}
	return fmt.Sprintf("198.51.100.%d", i-254+1)
}

// freeSimAddress returns the first address not in used, or, when spread,
// a random one of the free addresses (so that concurrent creates which lost
// the first one do not all race for the next). It returns "" when none is free.
func freeSimAddress(used []string, spread bool) string {
	taken := make(map[string]bool, len(used))
	for _, a := range used {
		taken[a] = true
	}
	var free []string
	for i := range simAddressCount {
		if a := simAddress(i); !taken[a] {
			if !spread {
				return a
			}
			free = append(free, a)
		}
	}
	if len(free) == 0 {
		return ""
	}
	return free[rand.IntN(len(free))]
}
