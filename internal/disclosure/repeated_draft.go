package disclosure

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// DraftFromRepeated makes a draft for proactive disclosure of a topic of
// the repeated-requests report (政府信息公开条例第四十四条). The draft names
// the requests behind it; the office completes the information, and 保密审查
// decides whether it may be disclosed before it is published.
func (s *Service) DraftFromRepeated(ctx context.Context, a *identity.Actor, q RepeatQuery, topic string) (*Document, error) {
	topic = NormalizeTopic(topic)
	if topic == "" {
		return nil, apperr.Field("topic", "请选择申请主题")
	}
	from, to, err := s.repeatPeriod(&q)
	if err != nil {
		return nil, err
	}
	var d *Document
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		ag, err := s.agencyOf(ctx, "", q.AgencyID)
		if err != nil {
			return err
		}
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		t, err := s.repeatedTopic(ctx, ag.ID, from.String(), to.String(), q.Min, topic)
		if err != nil {
			return err
		}
		if d, err = s.repeatDocument(ctx, a, ag, t, from.String(), to.String()); err != nil {
			return err
		}
		if err := s.store.SaveRepeatDraft(ctx, ag.ID, topic, d.ID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "disclosure.request.repeat_draft", "disclosure_doc", d.ID,
			map[string]any{"topic": topic, "requests": t.Requests, "from": from.String(), "to": to.String()})
	})
	return d, err
}

func (s *Service) repeatedTopic(ctx context.Context, agencyID int64, from, to string, min int, topic string) (*RepeatedTopic, error) {
	topics, err := s.repeatedTopics(ctx, agencyID, from, to, min)
	if err != nil {
		return nil, err
	}
	for i := range topics {
		if topics[i].Topic != topic {
			continue
		}
		if topics[i].DocID != nil {
			return nil, apperr.New(apperr.Conflict, "“%s”已起草主动公开稿", topic)
		}
		return &topics[i], nil
	}
	return nil, apperr.Field("topic", fmt.Sprintf("“%s”在所选期间内的申请不足 %d 件", topic, min))
}

func (s *Service) repeatDocument(ctx context.Context, a *identity.Actor, ag *Agency, t *RepeatedTopic, from, to string) (*Document, error) {
	d := &Document{Status: StatusDraft, Validity: Valid}
	in := DocInput{AgencyID: ag.ID, Title: t.Topic, Topic: "综合政务", Genre: GenreOther, Category: "a20-15",
		BodyFormat: "markdown", Body: repeatBody(t, from, to), FormedOn: s.today().String(),
		Summary: fmt.Sprintf("多个申请人申请公开的“%s”，依条例第四十四条拟纳入主动公开", t.Topic)}
	in.normalize()
	if err := s.fillDocument(ctx, d, in); err != nil {
		return nil, err
	}
	return d, s.saveDocument(ctx, a, ag, d)
}

func repeatBody(t *RepeatedTopic, from, to string) string {
	return fmt.Sprintf("## 依申请公开转为主动公开\n\n%s 至 %s，本机关收到 %d 位申请人就“%s”提出的政府信息公开申请 %d 件"+
		"（申请编号：%s）。\n\n依据《中华人民共和国政府信息公开条例》第四十四条，多个申请人就相同政府信息向同一行政机关提出公开申请，"+
		"且该政府信息属于可以公开的，行政机关可以纳入主动公开的范围。\n\n## 拟公开的信息\n\n（由公开专员填写拟公开的信息内容，"+
		"经保密审查、审批后发布。）\n", from, to, t.Applicants, t.Topic, t.Requests, strings.Join(t.Numbers, "、"))
}
