package supervision

import (
	"math"
	"strconv"
	"time"

	"openhall/internal/apperr"
)

// Rules are a centre's card thresholds and evaluation policy. A centre
// without rules of its own uses DefaultRules.
type Rules struct {
	CentreID int64
	// YellowPercent: yellow once this share of a limit is used. The
	// reference names 80–90 % (榆林 uses 90 %); the demo uses the common 80.
	YellowPercent int
	// YellowDays: yellow once this many working days or fewer remain
	// ("a prompt 1 working day before the deadline", reference §3.6).
	YellowDays int
	// ReasonMinRunes: a refusal or denial whose reason is shorter than this
	// counts as given without a reason (行政许可法第三十八条第二款 requires
	// reasons; how short is too short is the centre's rule).
	ReasonMinRunes int
	// BackfillMinutes: a 承诺件 of an online item decided within this many
	// minutes of acceptance, through at least two steps, was handled off
	// the platform and entered afterwards (0 turns the check off).
	BackfillMinutes int
	Policy          Policy
	UpdatedBy       int64
	UpdatedAt       time.Time
}

// DefaultRules are the common values.
func DefaultRules() Rules {
	return Rules{YellowPercent: 80, YellowDays: 1, ReasonMinRunes: 6, BackfillMinutes: 10, Policy: DefaultPolicy()}
}

// yellowRemaining is how many units may remain at most for a limit of n
// units to be yellow: yellow when used ≥ YellowPercent of n (used is whole
// units, so used ≥ ceil(p·n)) or remaining ≤ YellowDays.
func (r Rules) yellowRemaining(n int) int {
	used := int(math.Ceil(float64(n) * float64(r.YellowPercent) / 100))
	return max(n-used, r.YellowDays, 0)
}

// Validate checks the rules, naming each bad field.
func (r Rules) Validate() error {
	var f apperr.Fields
	f.Check(r.YellowPercent < 50 || r.YellowPercent > 99, "yellow_percent", "黄牌预警比例须在 50% 至 99% 之间")
	f.Check(r.YellowDays < 0 || r.YellowDays > 10, "yellow_days", "剩余工作日预警须在 0 至 10 个工作日之间")
	f.Check(r.ReasonMinRunes < 2 || r.ReasonMinRunes > 50, "reason_min_runes", "理由最少字数须在 2 至 50 之间")
	f.Check(r.BackfillMinutes < 0 || r.BackfillMinutes > 240, "backfill_minutes", "集中补录判定时间须在 0 至 240 分钟之间")
	r.Policy.validate(&f)
	return f.Err()
}

// Policy is how the evaluation weighs its indicators and grades a score.
// Weights are keyed by indicator (see Indicators); an indicator without
// data for a subject is left out and the remaining weights count in full.
type Policy struct {
	Weights       map[string]int
	Excellent     int // 优秀 at or above
	Good          int // 良好
	Pass          int // 合格; below it 不合格
	YellowPenalty int // points off the card indicator per yellow card
	RedPenalty    int // per red card
	OrderPenalty  int // points off the 督办 indicator per 督办
}

// DefaultPolicy is the weighting a new centre starts with.
func DefaultPolicy() Policy {
	return Policy{Weights: map[string]int{IndOnTime: 30, IndEarly: 10, IndStepOnTime: 10, IndIntakeOnTime: 10, IndSupplement: 10,
		IndRefusal: 5, IndCards: 15, IndOrders: 10},
		Excellent: 90, Good: 80, Pass: 60, YellowPenalty: 2, RedPenalty: 5, OrderPenalty: 10}
}

func (p Policy) validate(f *apperr.Fields) {
	total := 0
	for k, w := range p.Weights {
		f.Check(w < 0 || w > 100, "weight."+k, "权重须在 0 至 100 之间")
		total += w
	}
	f.Check(total == 0, "weights", "至少一项指标的权重须大于 0")
	f.Check(!(p.Pass > 0 && p.Pass < p.Good && p.Good < p.Excellent && p.Excellent <= 100), "grades",
		"等次分数线须满足 0 < 合格 < 良好 < 优秀 ≤ 100")
	for name, v := range map[string]int{"yellow_penalty": p.YellowPenalty, "red_penalty": p.RedPenalty, "order_penalty": p.OrderPenalty} {
		f.Check(v < 0 || v > 100, name, "每次扣分须在 0 至 100 之间")
	}
}

// Grade names a score's 等次.
func (p Policy) Grade(score float64) string {
	switch {
	case score >= float64(p.Excellent):
		return "优秀"
	case score >= float64(p.Good):
		return "良好"
	case score >= float64(p.Pass):
		return "合格"
	}
	return "不合格"
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
