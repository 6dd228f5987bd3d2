package disclosure

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// PublishRule is the publication deadline of a category of the catalogue:
// Days working or calendar days after the information was formed, changed or
// (for budgets) approved. Art 26 of the regulation sets 20 working days
// "法律、法规对政府信息公开的期限另有规定的，从其规定", so a rule other than
// the default names the law that sets it.
type PublishRule struct {
	Category string // a Categories code; "" is the Art 26 default
	Days     int
	Calendar bool   // calendar days rather than working days
	Basis    string // the law and article that set the period
	Trigger  string // what the period runs from, as shown
	Statute  bool   // built in from the law, not editable
}

const (
	triggerFormed   = "信息形成或者变更之日"
	triggerApproved = "批复之日（成文日期填批复日期）"
)

// defaultRule is Art 26 of the regulation: 20 working days from the day
// the information was formed or changed.
var defaultRule = PublishRule{Days: publishWorkdays, Basis: "《政府信息公开条例》第二十六条",
	Trigger: triggerFormed, Statute: true}

// statuteRules are periods set by other laws, built in.
var statuteRules = []PublishRule{
	// 预算法 (rev. 2018) Art 14: budgets, adjustments, final accounts and
	// their reports are made public within 20 days of approval (批准/批复);
	// the law counts calendar days. The 实施条例 (2020) Art 6 applies the
	// same 20 days to unit budgets from the department's 批复.
	{Category: "a20-7", Days: 20, Calendar: true, Basis: "《预算法》第十四条", Trigger: triggerApproved, Statute: true},
}

// PublishRuleStore keeps the periods an administrator adds from other laws.
type PublishRuleStore interface {
	FindPublishRules(ctx context.Context) ([]*PublishRule, error)
	PutPublishRule(ctx context.Context, r *PublishRule) error     // inserts or replaces the category's rule
	DeletePublishRule(ctx context.Context, category string) error // NotFound if none
}

// Unit is the period's unit as shown.
func (r *PublishRule) Unit() string {
	if r.Calendar {
		return "日"
	}
	return "个工作日"
}

// Period is the rule as a sentence, e.g. "批复之日起 20 日内".
func (r *PublishRule) Period() string {
	return fmt.Sprintf("%s起 %d %s内", strings.TrimSuffix(r.Trigger, "（成文日期填批复日期）"), r.Days, r.Unit())
}

// CategoryLabel is the label of the rule's category, the default's wording
// for "".
func (r *PublishRule) CategoryLabel() string {
	if r.Category == "" {
		return "其他各类（默认）"
	}
	return CategoryLabel(r.Category)
}

// due is the deadline of information formed on formed under the rule.
func (r *PublishRule) due(cal *calendar.Calendar, formed calendar.Date) (calendar.Date, error) {
	if r.Calendar {
		return formed.AddDays(r.Days), nil
	}
	return cal.AddWorkdays(formed, r.Days)
}

// PublishRules lists every rule in force: the Art 26 default, the built-in
// statutory periods and those an administrator added, by category.
func (s *Service) PublishRules(ctx context.Context) ([]*PublishRule, error) {
	stored, err := s.store.FindPublishRules(ctx)
	if err != nil {
		return nil, err
	}
	d := defaultRule
	out := []*PublishRule{&d}
	for i := range statuteRules {
		r := statuteRules[i]
		out = append(out, &r)
	}
	for _, r := range stored {
		r.Trigger = triggerFormed
		out = append(out, r)
	}
	sort.SliceStable(out[1:], func(i, j int) bool { return categoryIndex(out[1+i].Category) < categoryIndex(out[1+j].Category) })
	return out, nil
}

func categoryIndex(code string) int {
	for i, c := range Categories {
		if c.Code == code {
			return i
		}
	}
	return len(Categories)
}

// ruleFor picks a category's rule from rules (as PublishRules lists them).
func ruleFor(rules []*PublishRule, category string) *PublishRule {
	for _, r := range rules[1:] {
		if r.Category == category {
			return r
		}
	}
	return rules[0]
}

// PublishRuleInput is an administrator's rule for a category.
type PublishRuleInput struct {
	Category string
	Days     int
	Calendar bool
	Basis    string
}

// CanManagePublishRules: periods set by national law apply everywhere, so
// only an administrator of the whole deployment maintains them.
func CanManagePublishRules(a *identity.Actor) error {
	if a.IsGlobalAdmin() {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有全局系统管理员可以维护公开时限")
}

// SetPublishRule adds or replaces the period of a category that another
// law sets; the statutory ones built in cannot be changed.
func (s *Service) SetPublishRule(ctx context.Context, a *identity.Actor, in PublishRuleInput) (*PublishRule, error) {
	if err := CanManagePublishRules(a); err != nil {
		return nil, err
	}
	if err := checkPublishRule(in); err != nil {
		return nil, err
	}
	var out *PublishRule
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		r := &PublishRule{Category: in.Category, Days: in.Days, Calendar: in.Calendar, Basis: strings.TrimSpace(in.Basis),
			Trigger: triggerFormed}
		if err := s.store.PutPublishRule(ctx, r); err != nil {
			return err
		}
		out = r
		return s.recordRule(ctx, a, "disclosure.publish_rule.set", r)
	})
	return out, err
}

// DeletePublishRule removes an administrator's rule; the category falls
// back to Art 26.
func (s *Service) DeletePublishRule(ctx context.Context, a *identity.Actor, category string) error {
	if err := CanManagePublishRules(a); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeletePublishRule(ctx, category); err != nil {
			return err
		}
		return s.recordRule(ctx, a, "disclosure.publish_rule.delete", &PublishRule{Category: category})
	})
}

func (s *Service) recordRule(ctx context.Context, a *identity.Actor, action string, r *PublishRule) error {
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "system", Action: action,
		ObjectType: "disclosure_publish_rule", ObjectID: r.Category,
		Change: map[string]any{"days": r.Days, "calendar": r.Calendar, "basis": r.Basis}})
}

func checkPublishRule(in PublishRuleInput) error {
	var f apperr.Fields
	f.Check(CategoryLabel(in.Category) == "", "category", "请选择公开类别")
	for _, r := range statuteRules {
		f.Check(r.Category == in.Category, "category", "该类别的公开时限由"+r.Basis+"规定，不能修改")
	}
	f.Check(in.Days < 1 || in.Days > 365, "days", "公开期限应为 1 至 365 之间的整数")
	checkLen(&f, "basis", "法律依据", in.Basis, 200, true)
	f.Check(strings.TrimSpace(in.Basis) != "" && !strings.Contains(in.Basis, "《"),
		"basis", "法律依据应写明法律、法规名称（用书名号）及条款")
	return f.Err()
}
