package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/programme"
)

// Operators' migration declarations (/ops/migrations): those waiting first,
// each with verify and reject (with a reason); then the decided ones.

type progOpsMigrationsView struct {
	Pending, Decided []progMigration
}

func (s *server) progOpsMigrations(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgOpsMigrations(w, r, p, http.StatusOK)
}

func (s *server) showProgOpsMigrations(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	list, err := s.svc.Migrations(ctx, p.Actor, "")
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	regions, err := s.svc.Regions(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	names := map[string]string{}
	for _, rg := range regions {
		names[rg.Code] = p.Choose(rg.NameEN, rg.NameZH)
	}
	v := progOpsMigrationsView{}
	for _, m := range list {
		row := progMigration{Migration: m.Migration, SellerName: m.SellerName, RegionName: names[m.Region], EvidenceURL: programme.EvidenceURL(m.Evidence)}
		if m.State == programme.MigrationPending {
			v.Pending = append(v.Pending, row)
		} else {
			v.Decided = append(v.Decided, row)
		}
	}
	if r.URL.Query().Get("done") == "decided" {
		p.Notice = p.T("prog.notice.decided")
	}
	p.Title, p.Data = "prog.ops_migrations.title", v
	s.render(w, r, p, status, "programmes_ops_migrations")
}

// progMigrationDecide verifies or rejects a declaration.
func (s *server) progMigrationDecide(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("verify-"+id, r, "reason")
	verify := r.FormValue("decision") == "verify"
	if _, err := s.svc.DecideMigration(r.Context(), p.Actor, id, verify, r.FormValue("reason")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgOpsMigrations(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/migrations?done=decided")
}
