package disclosure

import (
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

// DocInput creates or edits a document.
type DocInput struct {
	AgencyID      int64
	Title         string
	DocNo         string
	Topic         string
	Genre         Genre
	Category      string
	Summary       string
	BodyFormat    string
	Body          string
	Mode          Mode
	WithholdBasis string
	FormedOn      string // YYYY-MM-DD
	NeedsInterp   bool
	InterpretsID  *int64
}

func (in *DocInput) normalize() {
	in.Title, in.Summary = strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	in.DocNo = NormalizeDocNo(in.DocNo)
	in.Topic, in.Category, in.FormedOn = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Category), strings.TrimSpace(in.FormedOn)
	if in.BodyFormat == "" {
		in.BodyFormat = "markdown"
	}
	if in.Mode == "" {
		in.Mode = ModeActive
	}
	if in.Genre != GenreInterp {
		in.InterpretsID = nil
	}
}

// validate checks the fields; it returns the parsed 成文日期.
func (in *DocInput) validate(today calendar.Date) (calendar.Date, error) {
	var f apperr.Fields
	checkLen(&f, "title", "标题", in.Title, 200, true)
	checkLen(&f, "doc_no", "文号", in.DocNo, 60, false)
	checkLen(&f, "summary", "内容概述", in.Summary, 500, false)
	checkLen(&f, "body", "正文", in.Body, 500000, false)
	f.Check(!in.Genre.Valid(), "genre", "请选择体裁")
	f.Check(CategoryLabel(in.Category) == "", "category", "请选择所属公开类别（条例第二十条、第二十一条）")
	f.Check(!KnownTopic(in.Topic), "topic", "请选择主题分类")
	f.Check(in.BodyFormat != "markdown" && in.BodyFormat != "html", "body_format", "正文格式须为 Markdown 或 HTML")
	switch in.Mode {
	case ModeActive, ModeOnRequest:
	case ModeWithheld:
		f.Check(WithholdLabel(in.WithholdBasis) == "", "withhold_basis", "不予公开须选择法定理由（条例第十四条至第十六条）")
	default:
		f.Add("mode", "请选择公开方式")
	}
	f.Check(in.Genre == GenreInterp && in.InterpretsID == nil, "interprets_id", "政策解读须关联所解读的政策文件")
	f.Check(in.NeedsInterp && !in.Genre.IsPolicy(), "needs_interp", "只有政策文件可以要求同步发布政策解读")
	formed, err := calendar.ParseDate(in.FormedOn)
	switch {
	case in.FormedOn == "":
		f.Add("formed_on", "请填写成文日期")
	case err != nil:
		f.Add("formed_on", "成文日期格式应为 YYYY-MM-DD")
	case formed.After(today):
		f.Add("formed_on", "成文日期不能晚于今天")
	}
	return formed, f.Err()
}

// ReviewInput records a 保密审查 or an Art 18 re-review.
type ReviewInput struct {
	Conclusion Conclusion
	Basis      string // the legal basis of the review
	Reason     string // WithholdReasons code when withholding
	Note       string
}

func (in *ReviewInput) validate(rereview bool) error {
	var f apperr.Fields
	in.Basis, in.Note = strings.TrimSpace(in.Basis), strings.TrimSpace(in.Note)
	switch in.Conclusion {
	case ConcludePass, ConcludeWithhold:
	case ConcludeRevise, ConcludeRefer:
		f.Check(rereview, "conclusion", "复审结论须为“可以公开”或“继续不予公开”")
	default:
		f.Add("conclusion", "请选择审查结论")
	}
	checkLen(&f, "basis", "审查依据", in.Basis, 500, true)
	checkLen(&f, "note", "审查意见", in.Note, 2000, false)
	f.Check(in.Conclusion == ConcludeWithhold && WithholdLabel(in.Reason) == "", "reason", "不予公开须选择法定理由（条例第十四条至第十六条）")
	return f.Err()
}

// ValidityInput changes a published document's 有效性.
type ValidityInput struct {
	Validity     Validity
	ReplacedByID *int64
	On           string // YYYY-MM-DD; empty = today
}
