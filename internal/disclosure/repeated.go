package disclosure

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Information requested repeatedly (政府信息公开条例第四十四条): where several
// applicants ask one agency for the same information and it may be
// disclosed, the agency may make it public of its own accord. The office
// tags each request with the topic of the information sought; the report
// lists the topics asked for at least N times in a period, and one click
// turns a topic into a draft for proactive disclosure, which then goes
// through 保密审查 and approval like any other document.

// RepeatedTopic is one topic of the repeated-requests report.
type RepeatedTopic struct {
	Topic       string
	Requests    int      // requests received in the period
	Applicants  int      // distinct applicants among them
	First, Last string   // first and last receipt date, YYYY-MM-DD
	Numbers     []string // the requests' numbers, in order
	DocID       *int64   // the draft made for the topic, if any
}

// RepeatStore keeps the request topics and the drafts made from them.
type RepeatStore interface {
	// SetRequestTopic tags a request; an empty topic removes the tag.
	SetRequestTopic(ctx context.Context, requestID, agencyID int64, topic string, at time.Time) error
	// RequestTopic is a request's topic, "" when untagged.
	RequestTopic(ctx context.Context, requestID int64) (string, error)
	// RepeatedTopics groups an agency's tagged requests received in
	// [from, to] (YYYY-MM-DD) by topic, keeping topics with at least min
	// requests, most requested first.
	RepeatedTopics(ctx context.Context, agencyID int64, from, to string, min int) ([]RepeatedTopic, error)
	// SaveRepeatDraft records the draft made for a topic; Conflict when
	// the topic has one already.
	SaveRepeatDraft(ctx context.Context, agencyID int64, topic string, docID int64, at time.Time) error
}

// RepeatQuery is the period and threshold of the report.
type RepeatQuery struct {
	AgencyID int64
	From, To string // YYYY-MM-DD; empty: the last twelve months up to today
	Min      int    // requests per topic; 0 means DefaultRepeatMin
}

// DefaultRepeatMin is the report's default threshold. Art 44 speaks of
// 多个申请人 without a number; three is this product's default, and an
// office may lower it to two.
const DefaultRepeatMin = 3

// maxTopicRunes bounds a topic label.
const maxTopicRunes = 50

// NormalizeTopic trims a topic and folds its runs of spaces into one, so
// that the same words tagged twice group together.
func NormalizeTopic(s string) string { return strings.Join(strings.Fields(s), " ") }

func (s *Service) repeatPeriod(q *RepeatQuery) (calendar.Date, calendar.Date, error) {
	var f apperr.Fields
	today := s.today()
	from, to := today.AddDays(-365), today
	var err error
	if q.From != "" {
		if from, err = calendar.ParseDate(q.From); err != nil {
			f.Add("from", "起始日期格式应为 YYYY-MM-DD")
		}
	}
	if q.To != "" {
		if to, err = calendar.ParseDate(q.To); err != nil {
			f.Add("to", "截止日期格式应为 YYYY-MM-DD")
		}
	}
	if q.Min == 0 {
		q.Min = DefaultRepeatMin
	}
	f.Check(q.Min < 2 || q.Min > 1000, "min", "申请件数须在 2 至 1000 之间（第四十四条：多个申请人）")
	if f.Err() == nil {
		f.Check(to.Before(from), "to", "截止日期不能早于起始日期")
		f.Check(to.Sub(from) > 3*366, "from", "统计期间不能超过三年")
	}
	return from, to, f.Err()
}

// RepeatedRequests is the report of information requested repeatedly, for
// the agency's 公开专员.
func (s *Service) RepeatedRequests(ctx context.Context, a *identity.Actor, q RepeatQuery) ([]RepeatedTopic, error) {
	from, to, err := s.repeatPeriod(&q)
	if err != nil {
		return nil, err
	}
	if _, err := s.officeOf(ctx, a, q.AgencyID); err != nil {
		return nil, err
	}
	return s.repeatedTopics(ctx, q.AgencyID, from.String(), to.String(), q.Min)
}

func (s *Service) repeatedTopics(ctx context.Context, agencyID int64, from, to string, min int) ([]RepeatedTopic, error) {
	topics, err := s.store.RepeatedTopics(ctx, agencyID, from, to, min)
	for i := range topics {
		sort.Strings(topics[i].Numbers)
	}
	return topics, err
}

// RequestTopic is the topic a request is tagged with, for its agency's
// 公开专员.
func (s *Service) RequestTopic(ctx context.Context, a *identity.Actor, id int64) (string, error) {
	if _, _, err := s.requestFor(ctx, a, id); err != nil {
		return "", err
	}
	return s.store.RequestTopic(ctx, id)
}

// TagRequest sets (or, with an empty topic, clears) a request's topic.
func (s *Service) TagRequest(ctx context.Context, a *identity.Actor, id int64, topic string) (string, error) {
	topic = NormalizeTopic(topic)
	if utf8.RuneCountInString(topic) > maxTopicRunes {
		return "", apperr.Field("topic", fmt.Sprintf("申请主题不能超过 %d 个字", maxTopicRunes))
	}
	_, err := s.onRequest(ctx, a, id, func(ctx context.Context, r *Request, ag *Agency) error {
		if err := s.store.SetRequestTopic(ctx, r.ID, ag.ID, topic, s.now()); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "disclosure.request.topic", "disclosure_request", r.ID, map[string]any{"topic": topic})
	})
	return topic, err
}
