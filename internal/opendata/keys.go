package opendata

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// keyPrefix marks OpenHall open-data keys, so a leaked one is recognisable.
const keyPrefix = "ohk_"

func newKey() (string, []byte) {
	b := make([]byte, 20)
	rand.Read(b)
	raw := keyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return raw, hashKey(raw)
}

func hashKey(raw string) []byte {
	h := sha256.Sum256([]byte(strings.TrimSpace(raw)))
	return h[:]
}

// IssueKey makes a new API key for the applicant's approved application
// and returns it in clear, once; it works until revoked or until the
// application's period ends.
func (s *Service) IssueKey(ctx context.Context, a *identity.Actor, appID int64) (string, *Key, error) {
	var raw string
	var k *Key
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		app, ag, err := s.applicationFor(ctx, appID)
		if err != nil {
			return err
		}
		if a == nil || a.UserID != app.UserID {
			return apperr.New(apperr.NotFound, "申请不存在")
		}
		if app.Status != AppApproved {
			return apperr.New(apperr.Conflict, "申请%s，不能生成接口密钥", app.Status.Label())
		}
		if s.Today().After(app.PeriodTo) {
			return apperr.New(apperr.Conflict, "申请的使用期限已于 %s 届满，请重新申请", app.PeriodTo)
		}
		var hash []byte
		raw, hash = newKey()
		k = &Key{ApplicationID: app.ID, Prefix: raw[:len(keyPrefix)+6], Hash: hash, CreatedAt: s.now()}
		if err := s.d.Store.CreateKey(ctx, k); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "opendata.key.issue", "opendata_key", k.ID, map[string]any{"application": app.ID, "prefix": k.Prefix})
	})
	return raw, k, err
}

// RevokeKey revokes a key: its holder or the publisher may.
func (s *Service) RevokeKey(ctx context.Context, a *identity.Actor, appID, keyID int64) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		app, ag, err := s.applicationFor(ctx, appID)
		if err != nil {
			return err
		}
		if (a == nil || a.UserID != app.UserID) && CanManage(a, ag) != nil {
			return apperr.New(apperr.NotFound, "申请不存在")
		}
		keys, err := s.d.Store.FindKeys(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.ID == keyID && k.Active() {
				k.RevokedAt, k.RevokedBy = s.now(), a.UserID
				if err := s.d.Store.UpdateKey(ctx, k); err != nil {
					return err
				}
				return s.record(ctx, a, ag, "opendata.key.revoke", "opendata_key", k.ID, map[string]any{"application": app.ID, "prefix": k.Prefix})
			}
		}
		return apperr.New(apperr.NotFound, "密钥不存在或已吊销")
	})
}

// Keys lists an application's keys and its recent usage for those who may
// view it.
func (s *Service) Keys(ctx context.Context, a *identity.Actor, appID int64) ([]*Key, []KeyUse, error) {
	if _, err := s.Application(ctx, a, appID); err != nil {
		return nil, nil, err
	}
	keys, err := s.d.Store.FindKeys(ctx, appID)
	if err != nil {
		return nil, nil, err
	}
	uses, err := s.d.Store.FindKeyUses(ctx, appID, 50)
	return keys, uses, err
}

// Page is a page of a dataset's rows as served by the API.
type Page struct {
	Dataset *Dataset
	Version *Version
	Fields  []string
	Offset  int
	Rows    []map[string]string
}

// MaxRowsPage bounds one page of rows from the API.
const MaxRowsPage = 1000

// Rows serves a page of a dataset's latest version through the API:
// without a key to whoever may read it (无条件开放), with a key for the
// approved fields of its application's dataset, within the application's
// period and the key's rate limit (TooMany, logged, beyond it).
func (s *Service) Rows(ctx context.Context, a *identity.Actor, name, rawKey string, offset, limit int) (*Page, error) {
	d, err := s.d.Store.FindDatasetByName(ctx, strings.ToLower(strings.TrimSpace(name)))
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxRowsPage {
		limit = 100
	}
	offset = max(offset, 0)
	var keep []string
	if rawKey != "" {
		if keep, err = s.useKey(ctx, d, rawKey, offset, limit); err != nil {
			return nil, err
		}
	} else if err := s.canRead(ctx, a, d); err != nil {
		return nil, err
	}
	v, err := s.version(ctx, d, 0)
	if err != nil {
		return nil, err
	}
	rows, err := s.rowsPage(ctx, d, v, offset, limit, keep)
	if err != nil {
		return nil, err
	}
	return &Page{Dataset: d, Version: v, Fields: keepOrAll(d.Columns, keep), Offset: offset, Rows: rows}, nil
}

func keepOrAll(cols []Column, keep []string) []string {
	var out []string
	for _, i := range columnIndexes(cols, keep) {
		out = append(out, cols[i].Name)
	}
	return out
}

var errBadKey = apperr.New(apperr.Unauthenticated, "接口密钥无效、已吊销或不属于该数据集")

// useKey checks a key against the dataset and logs the call; it returns the
// fields the key may read.
func (s *Service) useKey(ctx context.Context, d *Dataset, rawKey string, offset, limit int) ([]string, error) {
	var fields []string
	var allowed bool
	var rateLimit int
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		k, app, err := s.keyFor(ctx, rawKey)
		if err != nil {
			return err
		}
		if app.DatasetID != d.ID || d.Status != StatusPublished || d.Tier == TierClosed {
			return errBadKey
		}
		today := s.Today()
		if app.Status != AppApproved || today.Before(app.PeriodFrom) || today.After(app.PeriodTo) {
			return apperr.New(apperr.Forbidden, "接口密钥不在获批的使用期限（%s 至 %s）内", app.PeriodFrom, app.PeriodTo)
		}
		now := s.now()
		fields, rateLimit = app.Fields, app.RateLimit
		allowed, err = s.d.Store.UseKey(ctx, KeyUse{KeyID: k.ID, At: now, Endpoint: "rows?offset=" + strconv.Itoa(offset), Rows: limit,
			Status: 200}, app.RateLimit, now.Add(-time.Minute))
		return err
	})
	if err != nil {
		return nil, err
	}
	if !allowed {
		return nil, apperr.New(apperr.TooMany, "接口调用超过该密钥的频率限制（每分钟 %d 次），请稍后再试", rateLimit).After(time.Minute)
	}
	return fields, nil
}

func (s *Service) keyFor(ctx context.Context, rawKey string) (*Key, *Application, error) {
	k, err := s.d.Store.FindKeyByHash(ctx, hashKey(rawKey))
	if apperr.Is(err, apperr.NotFound) || (err == nil && !k.Active()) {
		return nil, nil, errBadKey
	}
	if err != nil {
		return nil, nil, err
	}
	app, err := s.d.Store.FindApplicationByID(ctx, k.ApplicationID)
	return k, app, err
}
