package market

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
)

// SignUp is what a visitor gives to open an account.
type SignUp struct {
	Email       string
	Password    string
	DisplayName string
	OrgName     string // the customer organisation; the display name if empty
}

// SignUp opens an account: a user, and a customer organisation (segment
// "direct": it came to the marketplace by itself) in which the user is a buyer.
//
// Errors: Invalid on a field; Conflict on "email" when it is taken.
func (s *Service) SignUp(ctx context.Context, in SignUp) (account.User, error) {
	email, name, err := account.CleanPerson(in.Email, in.DisplayName)
	if err != nil {
		return account.User{}, err
	}
	orgName := name
	if strings.TrimSpace(in.OrgName) != "" {
		if orgName, err = account.CleanName("org_name", in.OrgName); err != nil {
			return account.User{}, err
		}
	}
	if err := account.CheckPassword(in.Password, email, name); err != nil {
		return account.User{}, err
	}
	hash, err := account.HashPassword(in.Password)
	if err != nil {
		return account.User{}, err
	}
	now := s.now()
	u := account.User{ID: ids.New("usr"), Email: email, DisplayName: name, CreatedAt: now}
	org := account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Name: orgName, Segment: account.SegmentDirect, CreatedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if err := tx.CreateOrg(ctx, org); err != nil {
			return err
		}
		if err := tx.AddMembership(ctx, org.ID, u.ID, account.RoleBuyer, now); err != nil {
			return err
		}
		return record(ctx, tx, account.Actor{UserID: u.ID, Email: u.Email}, now, change{
			role: roleSelf, action: "user.signup", objectType: "user", objectID: u.ID, orgID: org.ID,
			summary: fmt.Sprintf("%s signed up for %s", email, orgName),
			after:   map[string]string{"email": email, "display_name": name, "org": orgName, "segment": string(org.Segment)},
		})
	})
	return u, err
}

// LogIn is a sign-in attempt.
type LogIn struct {
	Email    string
	Password string
	Addr     string            // the client's address, for throttling
	Kind     account.TokenKind // session (browser) or api
	Name     string            // a label for the token, e.g. the user agent
}

// LogIn checks the password and makes a token. Attempts are throttled per
// account and per address (account.AccountThrottle, AddressThrottle); while a key
// is blocked the password is not even checked.
//
// Errors: Unauthorized for a wrong email or password (the same for both);
// TooManyAttempts with RetryAfterSeconds while blocked.
func (s *Service) LogIn(ctx context.Context, in LogIn) (secret string, tok account.Token, err error) {
	now := s.now()
	email := strings.ToLower(strings.TrimSpace(in.Email))
	keys := []struct {
		key  string
		rule account.ThrottleRule
	}{{"email:" + email, account.AccountThrottle}, {"ip:" + in.Addr, account.AddressThrottle}}
	for _, k := range keys {
		t, err := s.store.Throttle(ctx, k.key)
		if err != nil {
			return "", tok, err
		}
		if wait := t.Wait(now); wait > 0 {
			return "", tok, tooManyAttempts(wait)
		}
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	if fault.Is(err, fault.NotFound) {
		account.SpendLikeACheck(in.Password)
	} else if err != nil {
		return "", tok, err
	}
	if err == nil && account.PasswordMatches(in.Password, hash) {
		secret, tok = newToken(u.ID, in.Kind, in.Name, now)
		err = s.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.ClearThrottle(ctx, keys[0].key); err != nil {
				return err
			}
			return tx.CreateToken(ctx, tok, account.HashToken(secret))
		})
		return secret, tok, err
	}
	var blockedFor time.Duration
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		for _, k := range keys {
			t, err := tx.Throttle(ctx, k.key)
			if err != nil {
				return err
			}
			t = k.rule.AfterFailure(t, now)
			blockedFor = max(blockedFor, t.Wait(now))
			if err := tx.SaveThrottle(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", tok, err
	}
	if blockedFor > 0 {
		return "", tok, tooManyAttempts(blockedFor)
	}
	return "", tok, &fault.Error{Code: fault.Unauthorized, MsgID: "error.login_failed", Message: "the email or the password is wrong"}
}

func tooManyAttempts(wait time.Duration) *fault.Error {
	secs := int((wait + time.Second - 1) / time.Second)
	return &fault.Error{Code: fault.TooManyAttempts, MsgID: "error.too_many_attempts", RetryAfterSeconds: secs,
		Message: fmt.Sprintf("too many failed sign-ins: try again in %d seconds", secs)}
}

// newToken makes a token of the kind with its lifetime and returns its secret.
func newToken(userID string, kind account.TokenKind, name string, now time.Time) (string, account.Token) {
	life := account.APITokenLifetime
	if kind == account.TokenSession {
		life = account.SessionLifetime
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return account.NewTokenSecret(), account.Token{
		ID: ids.New("tok"), UserID: userID, Kind: kind, Name: name, CreatedAt: now, ExpiresAt: now.Add(life),
	}
}

// Authenticate returns who holds the token secret, and the token.
//
// Errors: Unauthorized for an unknown, expired or revoked token.
func (s *Service) Authenticate(ctx context.Context, secret string) (account.Actor, account.Token, error) {
	now := s.now()
	tok, err := s.store.TokenByHash(ctx, account.HashToken(secret), now)
	if err != nil {
		return account.Actor{}, tok, err
	}
	actor, err := s.actor(ctx, tok.UserID)
	if err != nil {
		return actor, tok, err
	}
	if tok.LastUsedAt.IsZero() || now.Sub(tok.LastUsedAt) >= time.Minute { // the row says it: no write needed
		if err := s.store.TouchToken(ctx, tok.ID, now); err != nil {
			return actor, tok, err
		}
	}
	return actor, tok, nil
}

// actor loads a user with its memberships.
func (s *Service) actor(ctx context.Context, userID string) (account.Actor, error) {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return account.Actor{}, err
	}
	ms, err := s.store.Memberships(ctx, userID)
	return account.Actor{UserID: u.ID, Email: u.Email, Memberships: ms}, err
}

// Me returns the actor's user record and memberships.
//
// Errors: Unauthorized for an anonymous actor.
func (s *Service) Me(ctx context.Context, actor account.Actor) (account.User, []account.Membership, error) {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return account.User{}, nil, err
	}
	u, err := s.store.User(ctx, actor.UserID)
	if err != nil {
		return u, nil, err
	}
	ms, err := s.store.Memberships(ctx, actor.UserID)
	return u, ms, err
}

// allow asks the one policy and turns a no into the right error: Unauthorized
// for an anonymous actor, Forbidden for a signed-in one.
func allow(actor account.Actor, act account.Action, r account.Resource) error {
	if account.Can(actor, act, r) {
		return nil
	}
	if !actor.Signed() {
		return &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	}
	return &fault.Error{Code: fault.Forbidden, MsgID: "error.forbidden", Message: "you may not do this"}
}

// LogOut revokes the token the actor signed in with.
func (s *Service) LogOut(ctx context.Context, actor account.Actor, tokenID string) error {
	return s.RevokeToken(ctx, actor, tokenID)
}

// CreateToken makes a personal API token for the actor, valid for the days
// given (1 to 366).
//
// Errors: Invalid on "name" or "expires_in_days".
func (s *Service) CreateToken(ctx context.Context, actor account.Actor, name string, days int) (string, account.Token, error) {
	if err := allow(actor, account.ManageTokens, account.Resource{OwnerUserID: actor.UserID}); err != nil {
		return "", account.Token{}, err
	}
	name, err := account.CleanName("name", name)
	if err != nil {
		return "", account.Token{}, err
	}
	if days < 1 || time.Duration(days)*24*time.Hour > account.MaxPersonalLifetime {
		return "", account.Token{}, fault.Field("expires_in_days", "error.token_days", "choose between 1 and 366 days")
	}
	now := s.now()
	secret, tok := newToken(actor.UserID, account.TokenPersonal, name, now)
	tok.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateToken(ctx, tok, account.HashToken(secret)); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: roleSelf, action: "token.create", objectType: "token", objectID: tok.ID,
			summary: fmt.Sprintf("personal token %q, %d days", name, days), after: map[string]any{"name": name, "expires_at": tok.ExpiresAt}})
	})
	return secret, tok, err
}

// Tokens lists the actor's sessions and tokens in force.
func (s *Service) Tokens(ctx context.Context, actor account.Actor) ([]account.Token, error) {
	if err := allow(actor, account.ManageTokens, account.Resource{OwnerUserID: actor.UserID}); err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, actor.UserID, s.now())
}

// RevokeToken revokes one of the actor's sessions or tokens.
//
// Errors: NotFound when the actor has no such token.
func (s *Service) RevokeToken(ctx context.Context, actor account.Actor, id string) error {
	if err := allow(actor, account.ManageTokens, account.Resource{OwnerUserID: actor.UserID}); err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		tok, err := tx.Token(ctx, actor.UserID, id)
		if err != nil {
			return err
		}
		if !tok.RevokedAt.IsZero() {
			return nil
		}
		if err := tx.RevokeToken(ctx, actor.UserID, id, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: roleSelf, action: "token.revoke", objectType: "token", objectID: id,
			summary: fmt.Sprintf("%s token %q revoked", tok.Kind, tok.Name)})
	})
}

// UpdateProfile changes the actor's display name.
//
// Errors: Invalid on "display_name".
func (s *Service) UpdateProfile(ctx context.Context, actor account.Actor, displayName string) (account.User, error) {
	if err := allow(actor, account.UpdateSelf, account.Resource{}); err != nil {
		return account.User{}, err
	}
	name, err := account.CleanName("display_name", displayName)
	if err != nil {
		return account.User{}, err
	}
	now := s.now()
	var u account.User
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if u, err = tx.User(ctx, actor.UserID); err != nil {
			return err
		}
		before := u.DisplayName
		if before == name {
			return nil
		}
		u.DisplayName = name
		if err := tx.UpdateUserName(ctx, u, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: roleSelf, action: "user.update", objectType: "user", objectID: u.ID,
			summary: "display name changed", before: map[string]string{"display_name": before}, after: map[string]string{"display_name": name}})
	})
	return u, err
}

// ChangePassword sets a new password after checking the current one, and
// revokes every other session and token of the user (keepTokenID stays).
//
// Errors: Unauthorized on "current_password"; Invalid on "password".
func (s *Service) ChangePassword(ctx context.Context, actor account.Actor, current, next, keepTokenID string) error {
	if err := allow(actor, account.UpdateSelf, account.Resource{}); err != nil {
		return err
	}
	u, err := s.store.User(ctx, actor.UserID)
	if err != nil {
		return err
	}
	hash, err := s.store.PasswordHash(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if !account.PasswordMatches(current, hash) {
		return &fault.Error{Code: fault.Unauthorized, Field: "current_password", MsgID: "error.current_password", Message: "the current password is wrong"}
	}
	if err := account.CheckPassword(next, u.Email, u.DisplayName); err != nil {
		return err
	}
	newHash, err := account.HashPassword(next)
	if err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.UpdatePassword(ctx, u.ID, newHash, now); err != nil {
			return err
		}
		n, err := tx.RevokeTokensExcept(ctx, u.ID, keepTokenID, now)
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: roleSelf, action: "user.password", objectType: "user", objectID: u.ID,
			summary: fmt.Sprintf("password changed; %d other sessions and tokens revoked", n)})
	})
}

// Cleanup deletes tokens and throttles that ended more than 30 days (tokens) or
// a day (throttles) ago, and compacts the search index. The cleanup job runs
// it every hour.
func (s *Service) Cleanup(ctx context.Context) (tokens, throttles int64, err error) {
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if tokens, err = tx.PurgeTokens(ctx, now.Add(-30*24*time.Hour)); err != nil {
			return err
		}
		throttles, err = tx.PurgeThrottles(ctx, now.Add(-24*time.Hour))
		return err
	})
	if err == nil {
		// The full-text index gains a segment per change to the storefront;
		// merged, searches take half the time.
		err = s.store.CompactSearch(ctx)
	}
	return tokens, throttles, err
}

// ActorByEmail returns the user with the email as an actor, for the system's
// own work on a person's behalf (loading the demo). Never reachable over HTTP.
//
// Errors: NotFound.
func (s *Service) ActorByEmail(ctx context.Context, email string) (account.Actor, error) {
	u, _, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		return account.Actor{}, err
	}
	return s.actor(ctx, u.ID)
}
