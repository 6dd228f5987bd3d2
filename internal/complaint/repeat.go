package complaint

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// A complaint may be filed with a key (the form's hidden key, the API's
// Idempotency-Key): a request sent twice, by a double click or a retry
// after a lost answer, files one complaint, and the second answer is the
// first one's receipt. Its 查询码 is drawn from the key, so that the
// receipt can be given again although only the code's hash is kept.

// Key lengths: long enough to be no one else's guess, since the key gives
// the receipt again.
const (
	minKey = 16
	maxKey = 100
)

// errKey refuses a key that is too short or too long.
var errKey = apperr.New(apperr.Invalid, "提交标识（表单的 key 或请求头 Idempotency-Key）应为 %d–%d 个字符的随机字符串，请刷新页面后重试", minKey, maxKey)

func checkKey(key string) error {
	if key != "" && (len(key) < minKey || len(key) > maxKey) {
		return errKey
	}
	return nil
}

// repeated returns the receipt of the complaint filed with in's key, nil
// when there is none. The key of another complaint (other words, another
// filer) is refused, its receipt not given.
func (s *Service) repeated(ctx context.Context, a *identity.Actor, in Input) (*Filed, error) {
	if in.Key == "" {
		return nil, nil
	}
	c, err := s.d.Store.FindComplaintByKey(ctx, in.Key)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !sameFiling(a, c, in) {
		return nil, apperr.New(apperr.Conflict, "该提交标识已用于另一份%s，本次提交未予保存，请刷新页面后重新提交", c.Kind.Label())
	}
	return &Filed{Complaint: c, QueryCode: s.keyCode(in.Key), Repeated: true}, nil
}

// sameFiling reports whether in asks again for complaint c: the same
// filer, kind, subject and words.
func sameFiling(a *identity.Actor, c *Complaint, in Input) bool {
	if in.Kind == "" {
		in.Kind = KindComplaint
	}
	if in.Channel == "" {
		in.Channel = ChannelOnline
	}
	return c.Events[0].ActorID == actorID(a, in) && c.Kind == in.Kind && c.Subject.Kind == in.Subject &&
		c.Anonymous == in.Anonymous && c.Content == strings.TrimSpace(in.Content)
}

// codeFor is the 查询码 of a new complaint: drawn from its key when it
// has one, fresh otherwise.
func (s *Service) codeFor(key string) string {
	if key == "" {
		return queryCode()
	}
	return s.keyCode(key)
}

// keyCode is the 8-digit 查询码 of the complaint filed with key.
func (s *Service) keyCode(key string) string {
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write([]byte("complaint-key:" + key))
	return fmt.Sprintf("%08d", binary.BigEndian.Uint64(m.Sum(nil))%100000000)
}
