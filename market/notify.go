package market

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/store"
)

// MailArgs asks for a notification to be emailed to its user.
type MailArgs struct {
	NotificationID string `json:"notification_id"`
}

// Kind names the job on the queue.
func (MailArgs) Kind() string { return "mail_notification" }

// InsertOpts: mail is retried for a day, with River's exponential backoff.
func (MailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 20} }

// errNoQueue is returned by a use case that must enqueue a job when the
// service was built without a queue.
var errNoQueue = errors.New("market: the job queue is not running")

// enqueue puts a job on the queue in the transaction.
func (s *Service) enqueue(ctx context.Context, tx *store.Tx, args river.JobArgs) error {
	if s.jobs == nil {
		return errNoQueue
	}
	_, err := s.jobs.InsertTx(ctx, tx.SQL(), args, nil)
	return err
}

// notify tells each user the same thing: in the app at once, and by email
// once the transaction commits and DispatchMail queues the mail.
func (s *Service) notify(ctx context.Context, tx *store.Tx, userIDs []string, n notice.Notification) error {
	for _, uid := range userIDs {
		m := n
		m.ID, m.UserID, m.CreatedAt = ids.New("ntf"), uid, s.now()
		if err := tx.AddNotification(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// notifyRole tells every user who has the role, in any organisation.
func (s *Service) notifyRole(ctx context.Context, tx *store.Tx, role account.Role, n notice.Notification) error {
	users, err := tx.UsersWithRole(ctx, role)
	if err != nil {
		return err
	}
	to := make([]string, 0, len(users))
	for _, u := range users {
		to = append(to, u.ID)
	}
	return s.notify(ctx, tx, to, n)
}

// Notifications lists the actor's newest notifications and how many are unread.
func (s *Service) Notifications(ctx context.Context, actor account.Actor) ([]notice.Notification, int, error) {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return nil, 0, err
	}
	list, err := s.store.Notifications(ctx, actor.UserID, 100)
	if err != nil {
		return nil, 0, err
	}
	unread, err := s.store.UnreadNotifications(ctx, actor.UserID)
	return list, unread, err
}

// UnreadCount counts the actor's unread notifications, for a page header.
func (s *Service) UnreadCount(ctx context.Context, actor account.Actor) (int, error) {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return 0, err
	}
	return s.store.UnreadNotifications(ctx, actor.UserID)
}

// MarkRead marks one of the actor's notifications read ("" marks all).
func (s *Service) MarkRead(ctx context.Context, actor account.Actor, id string) error {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error { return tx.MarkNotificationRead(ctx, actor.UserID, id, s.now()) })
}

// MailFor returns a notification and the address to mail it to, for the mail job.
func (s *Service) MailFor(ctx context.Context, notificationID string) (notice.Notification, string, error) {
	n, err := s.store.Notification(ctx, notificationID)
	if err != nil {
		return n, "", err
	}
	u, err := s.store.User(ctx, n.UserID)
	return n, u.Email, err
}

// MailDispatchArgs asks for the notifications not yet mailed to be queued for
// mailing.
type MailDispatchArgs struct{}

// Kind names the job on the queue.
func (MailDispatchArgs) Kind() string { return "mail_dispatch" }

// DispatchMail queues a mail job for each notification not queued yet. It
// returns how many it queued.
func (s *Service) DispatchMail(ctx context.Context) (int, error) {
	return s.dispatch(ctx, func(tx *store.Tx, limit int) ([]string, error) { return tx.TakeUnmailed(ctx, limit) },
		func(id string) river.JobArgs { return MailArgs{NotificationID: id} })
}

// dispatch empties an outbox onto the queue: take marks up to limit rows as
// queued and returns their ids, and a job (job(id)) is inserted for each in
// the same transaction, so none is lost and none queued twice; 500 per
// transaction, until none is left or 20 batches are done. It returns how many
// it queued.
func (s *Service) dispatch(ctx context.Context, take func(tx *store.Tx, limit int) ([]string, error), job func(id string) river.JobArgs) (int, error) {
	if s.jobs == nil {
		return 0, errNoQueue
	}
	const batch = 500
	total := 0
	for range 20 {
		n := 0
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			ids, err := take(tx, batch)
			if err != nil || len(ids) == 0 {
				return err
			}
			params := make([]river.InsertManyParams, len(ids))
			for i, id := range ids {
				params[i] = river.InsertManyParams{Args: job(id)}
			}
			_, err = s.jobs.InsertManyTx(ctx, tx.SQL(), params)
			n = len(ids)
			return err
		})
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
	return total, nil
}
