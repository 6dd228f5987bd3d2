package consult

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// Input creates or edits a draft consultation.
type Input struct {
	AgencyID    int64
	Title       string
	Draft       string
	Explanation string
	Channels    string
	Days        int
	ShortReason string
	RealName    bool
}

// Limits of a consultation's texts, in characters.
const (
	maxTitle       = 200
	maxDraft       = 100000
	maxExplanation = 20000
	maxChannels    = 1000
	maxReason      = 1000
	// MaxComment bounds a comment: a long opinion fits; a pasted book
	// does not.
	MaxComment = 2000
	maxVerdict = 1000
	maxHide    = 200
)

func (in *Input) normalize() {
	for _, p := range []*string{&in.Title, &in.Draft, &in.Explanation, &in.Channels, &in.ShortReason} {
		*p = strings.TrimSpace(*p)
	}
}

// validate checks the input; a period under MinDays needs its reason
// (重大行政决策程序暂行条例 Art 15).
func (in *Input) validate() error {
	var f apperr.Fields
	f.Check(in.AgencyID <= 0, "agency_id", "请选择公开主体")
	checkText(&f, "title", "标题", in.Title, maxTitle, true)
	checkText(&f, "draft", "征求意见稿", in.Draft, maxDraft, true)
	checkText(&f, "explanation", "起草说明", in.Explanation, maxExplanation, true)
	checkText(&f, "channels", "其他意见反馈渠道", in.Channels, maxChannels, false)
	checkText(&f, "short_reason", "缩短期限的理由", in.ShortReason, maxReason, false)
	switch {
	case in.Days <= 0:
		f.Add("days", "请填写征求意见期限（自然日，一般不少于 30 日）")
	case in.Days > MaxDays:
		f.Add("days", fmt.Sprintf("征求意见期限不能超过 %d 日", MaxDays))
	case in.Days < MinDays && in.ShortReason == "":
		f.Add("short_reason", fmt.Sprintf("征求意见期限 %d 日少于 30 日，须说明缩短期限的理由（重大行政决策程序暂行条例第十五条），理由将一并公开", in.Days))
	}
	if in.Draft != "" && len(ParseSections(in.Draft)) > maxSections {
		f.Add("draft", fmt.Sprintf("征求意见稿不能超过 %d 个条款", maxSections))
	}
	return f.Err()
}

func checkText(f *apperr.Fields, field, label, v string, maxRunes int, required bool) {
	n := utf8.RuneCountInString(v)
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > maxRunes, field, fmt.Sprintf("%s不能超过 %d 个字（现有 %d 个字）", label, maxRunes, n))
}

// markup finds what looks like an HTML tag or script: a comment is plain
// text, and markup in one is refused rather than silently altered.
var markup = regexp.MustCompile(`(?i)<\s*/?\s*[a-z!?][^<>]*>|<\s*script|javascript\s*:|\bon[a-z]+\s*=`)

// CheckBody checks a comment's text and names the field in the message.
func CheckBody(body string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(body))
	switch {
	case n == 0:
		return apperr.Field("body", "请填写意见内容")
	case n > MaxComment:
		return apperr.Field("body", fmt.Sprintf("意见内容不能超过 %d 个字（现有 %s 个字），请精简后提交", MaxComment, strconv.Itoa(n)))
	case markup.MatchString(body):
		return apperr.Field("body", "意见内容不能包含 HTML 标签或脚本（如 <script>），请以纯文本填写")
	}
	return nil
}
