package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/audit"
)

// AuditEntry is one recorded change.
type AuditEntry struct {
	ID          string         `json:"id"`
	At          time.Time      `json:"at"`
	ActorUserID string         `json:"actor_user_id,omitempty"`
	ActorEmail  string         `json:"actor_email,omitempty"`
	ActorRole   string         `json:"actor_role"`
	OrgID       string         `json:"org_id,omitempty"`
	Action      string         `json:"action" example:"customer.update"`
	ObjectType  string         `json:"object_type" example:"org"`
	ObjectID    string         `json:"object_id"`
	Summary     string         `json:"summary"`
	Before      map[string]any `json:"before,omitempty"`
	After       map[string]any `json:"after,omitempty"`
}

type auditInput struct {
	Actor      string    `query:"actor" maxLength:"64" doc:"Actor user id"`
	Action     string    `query:"action" maxLength:"64" example:"customer.update"`
	ObjectType string    `query:"object_type" maxLength:"32"`
	ObjectID   string    `query:"object_id" maxLength:"64"`
	Org        string    `query:"org" maxLength:"64" doc:"Organisation id"`
	Since      time.Time `query:"since" doc:"From this time (inclusive), RFC 3339"`
	Until      time.Time `query:"until" doc:"Until this time (exclusive), RFC 3339"`
	Before     string    `query:"before" maxLength:"64" doc:"Page back from this entry id (next_before of the previous page)"`
	Limit      int       `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type auditOutput struct {
	Body struct {
		Entries    []AuditEntry `json:"entries"`
		NextBefore string       `json:"next_before,omitempty" doc:"Pass as before for the next, older page"`
	}
}

func (h handlers) audit(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "The audit log, newest first (operators)", Tags: []string{"Audit"}, Security: bearer, Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *auditInput) (*auditOutput, error) {
		f := audit.Filter{ActorUserID: in.Actor, Action: in.Action, ObjectType: in.ObjectType, ObjectID: in.ObjectID,
			OrgID: in.Org, Since: in.Since, Until: in.Until, Before: in.Before, Limit: in.Limit}
		list, err := h.svc.Audit(ctx, actorOf(ctx), f)
		if err != nil {
			return nil, err
		}
		out := &auditOutput{}
		out.Body.Entries = []AuditEntry{}
		for _, e := range list {
			out.Body.Entries = append(out.Body.Entries, AuditEntry{ID: e.ID, At: e.At, ActorUserID: e.ActorUserID, ActorEmail: e.ActorEmail,
				ActorRole: e.ActorRole, OrgID: e.OrgID, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
				Summary: e.Summary, Before: object(e.Before), After: object(e.After)})
		}
		if len(list) == f.Normal().Limit {
			out.Body.NextBefore = list[len(list)-1].ID
		}
		return out, nil
	})
}

// object decodes a snapshot for the response; snapshots are always objects.
func object(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
