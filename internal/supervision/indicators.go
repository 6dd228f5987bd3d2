package supervision

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Built-in indicator keys.
const (
	IndOnTime       = "on_time_rate"        // 按时办结率
	IndEarly        = "early_rate"          // 提前办结率
	IndStepOnTime   = "step_on_time_rate"   // 环节按时办理率
	IndIntakeOnTime = "intake_on_time_rate" // 初审按时处理率
	IndSupplement   = "supplement_rate"     // 补正率（越低越好）
	IndRefusal      = "refusal_rate"        // 不予受理率（越低越好）
	IndCards        = "cards"               // 红黄牌扣分
	IndOrders       = "orders"              // 督办扣分
)

// Dimension is what an evaluation row is about.
type Dimension string

// Dimensions.
const (
	DimDept   Dimension = "dept"
	DimWindow Dimension = "window"
	DimUser   Dimension = "user"
)

// Label is the dimension's Chinese name.
func (d Dimension) Label() string {
	switch d {
	case DimDept:
		return "部门"
	case DimWindow:
		return "窗口"
	case DimUser:
		return "工作人员"
	}
	return string(d)
}

// Valid reports whether d is known.
func (d Dimension) Valid() bool { return d == DimDept || d == DimWindow || d == DimUser }

// IndicatorQuery asks a contributed indicator for its values.
type IndicatorQuery struct {
	Dim      Dimension
	IDs      []int64
	CentreID int64
	Months   []string // "2026-01" …, the period's months
	// Whole asks for the centre as a whole, answered under id 0 (IDs is
	// then empty); otherwise only the subjects in IDs are asked for.
	Whole bool
}

// IndicatorValue is one subject's value of a contributed indicator.
type IndicatorValue struct {
	Value   float64 // the figure itself (a ratio in 0…1, or a count)
	Display string  // as shown: "96.5%", "3 件"
	Score   float64 // 0…100, higher is better: how the evaluation weighs it
}

// Indicator is a figure another module contributes to the evaluation and,
// when Public, to the public indicators (好评率 and complaints from the
// ratings module). Values returns nothing for a subject without data, which
// then leaves the indicator out of its score rather than counting it as 0.
type Indicator struct {
	Key           string
	Label         string
	Public        bool
	DefaultWeight int
	Values        func(ctx context.Context, q IndicatorQuery) (map[int64]IndicatorValue, error)
}

// Registry holds the contributed indicators.
type Registry struct {
	mu   sync.RWMutex
	list []Indicator
}

// Register adds an indicator; a key registered twice is an error, since
// two modules would otherwise silently replace each other's figures.
func (r *Registry) Register(ind Indicator) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ind.Key == "" || ind.Label == "" || ind.Values == nil {
		return fmt.Errorf("indicator needs a key, a label and values")
	}
	for _, x := range r.list {
		if x.Key == ind.Key {
			return fmt.Errorf("indicator %q registered twice", ind.Key)
		}
	}
	for _, b := range builtins {
		if b.key == ind.Key {
			return fmt.Errorf("indicator %q is built in", ind.Key)
		}
	}
	r.list = append(r.list, ind)
	sort.Slice(r.list, func(i, j int) bool { return r.list[i].Key < r.list[j].Key })
	return nil
}

// All lists the contributed indicators.
func (r *Registry) All() []Indicator {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Indicator(nil), r.list...)
}

// builtin is an indicator computed from the counts.
type builtin struct {
	key, label string
	figure     func(c Counts, p Policy) (Figure, bool)
}

// Figure is one indicator's value for one row.
type Figure struct {
	Key     string  `json:"key"`
	Label   string  `json:"label"`
	Value   float64 `json:"value"`
	Display string  `json:"display"`
	Score   float64 `json:"score"`
	Weight  int     `json:"weight"`
}

var builtins = []builtin{
	{IndOnTime, "按时办结率", rateOf(func(c Counts) (int64, int64) { return c.OnTime, c.Decided }, false)},
	{IndEarly, "提前办结率", rateOf(func(c Counts) (int64, int64) { return c.Early, c.Decided }, false)},
	{IndStepOnTime, "环节按时办理率", rateOf(func(c Counts) (int64, int64) { return c.StepsOnTime, c.Steps }, false)},
	{IndIntakeOnTime, "初审按时处理率", rateOf(func(c Counts) (int64, int64) { return c.IntakeOnTime, c.IntakeTotal }, false)},
	{IndSupplement, "补正率", rateOf(func(c Counts) (int64, int64) { return c.Supplemented, c.Received }, true)},
	{IndRefusal, "不予受理率", rateOf(func(c Counts) (int64, int64) { return c.Refused, c.Accepted + c.Refused }, true)},
	{IndCards, "红黄牌", cardsFigure},
	{IndOrders, "督办", ordersFigure},
}

// rateOf is a ratio indicator; lowerBetter scores 1−rate.
func rateOf(parts func(Counts) (int64, int64), lowerBetter bool) func(Counts, Policy) (Figure, bool) {
	return func(c Counts, _ Policy) (Figure, bool) {
		n, d := parts(c)
		if d <= 0 {
			return Figure{}, false
		}
		v := float64(n) / float64(d)
		score := v * 100
		if lowerBetter {
			score = 100 - score
		}
		return Figure{Value: v, Display: fmt.Sprintf("%.1f%%（%d/%d）", v*100, n, d), Score: score}, true
	}
}

func active(c Counts) bool {
	return c.Received+c.Decided+c.Steps+c.IntakeTotal+c.Yellow+c.Red+c.Orders > 0
}

func cardsFigure(c Counts, p Policy) (Figure, bool) {
	if !active(c) {
		return Figure{}, false
	}
	score := max(0, 100-float64(c.Yellow*int64(p.YellowPenalty)+c.Red*int64(p.RedPenalty)))
	return Figure{Value: float64(c.Yellow + c.Red), Display: fmt.Sprintf("黄牌 %d，红牌 %d", c.Yellow, c.Red), Score: score}, true
}

func ordersFigure(c Counts, p Policy) (Figure, bool) {
	if !active(c) {
		return Figure{}, false
	}
	score := max(0, 100-float64(c.Orders*int64(p.OrderPenalty)))
	return Figure{Value: float64(c.Orders), Display: fmt.Sprintf("%d 件", c.Orders), Score: score}, true
}

// BuiltinLabels lists the built-in indicators' keys and names in order.
func BuiltinLabels() [][2]string {
	out := make([][2]string, len(builtins))
	for i, b := range builtins {
		out[i] = [2]string{b.key, b.label}
	}
	return out
}
