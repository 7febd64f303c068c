package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/notice"
)

// Notification is something cloudmart told the user (it is also emailed).
type Notification struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind" doc:"What happened" example:"application.approve"`
	Title     string    `json:"title" doc:"In the caller's language"`
	Body      string    `json:"body" doc:"In the caller's language"`
	TitleEN   string    `json:"title_en"`
	TitleZH   string    `json:"title_zh"`
	BodyEN    string    `json:"body_en"`
	BodyZH    string    `json:"body_zh"`
	Link      string    `json:"link" doc:"A path in the web UI" example:"/seller/application"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

type notificationsInput struct{ Lang }

type notificationsOutput struct {
	Body struct {
		Notifications []Notification `json:"notifications" doc:"The newest 100, newest first"`
		Unread        int            `json:"unread" doc:"How many of all the user's notifications are unread"`
	}
}

type notificationIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

func (h handlers) notifications(a huma.API) {
	tags := []string{"Notifications"}
	huma.Register(a, huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: "/api/v1/notifications",
		Summary: "The caller's notifications", Tags: tags, Security: bearer, Errors: []int{401},
	}, func(ctx context.Context, in *notificationsInput) (*notificationsOutput, error) {
		list, unread, err := h.svc.Notifications(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &notificationsOutput{}
		out.Body.Notifications = []Notification{}
		for _, n := range list {
			out.Body.Notifications = append(out.Body.Notifications, notificationOf(n, in.Lang))
		}
		out.Body.Unread = unread
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "read-notification", Method: http.MethodPost, Path: "/api/v1/notifications/{id}/read", DefaultStatus: http.StatusNoContent,
		Summary: "Mark one of the caller's notifications read", Tags: tags, Security: bearer, Errors: []int{401},
		Description: "Marking a notification that is read already, or is not the caller's, changes nothing.",
	}, func(ctx context.Context, in *notificationIDInput) (*noContent, error) {
		return nil, h.svc.MarkRead(ctx, actorOf(ctx), in.ID)
	})

	huma.Register(a, huma.Operation{
		OperationID: "read-all-notifications", Method: http.MethodPost, Path: "/api/v1/notifications/read", DefaultStatus: http.StatusNoContent,
		Summary: "Mark all the caller's notifications read", Tags: tags, Security: bearer, Errors: []int{401},
	}, func(ctx context.Context, _ *struct{}) (*noContent, error) {
		return nil, h.svc.MarkRead(ctx, actorOf(ctx), "")
	})
}

func notificationOf(n notice.Notification, l Lang) Notification {
	return Notification{ID: n.ID, Kind: n.Kind, Title: l.pick(n.TitleEN, n.TitleZH), Body: l.pick(n.BodyEN, n.BodyZH),
		TitleEN: n.TitleEN, TitleZH: n.TitleZH, BodyEN: n.BodyEN, BodyZH: n.BodyZH, Link: n.Link, CreatedAt: n.CreatedAt, Read: !n.ReadAt.IsZero()}
}
