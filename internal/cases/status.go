package cases

// Status is where a case stands.
type Status string

// Statuses. A case moves draft → submitted → review → closed, possibly
// through supplement (受理前补正) and correction (审批中退回申请人).
const (
	StatusDraft      Status = "draft"      // 草稿
	StatusSubmitted  Status = "submitted"  // 待受理
	StatusSupplement Status = "supplement" // 待补正（一次性告知）
	StatusReview     Status = "review"     // 审批中
	StatusCorrection Status = "correction" // 退回申请人补正
	StatusPayment    Status = "payment"    // 准予许可，待缴费后出证
	StatusClosed     Status = "closed"     // 已办结
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusSubmitted:
		return "待受理"
	case StatusSupplement:
		return "待补正"
	case StatusReview:
		return "审批中"
	case StatusCorrection:
		return "退回补正"
	case StatusPayment:
		return "待缴费出证"
	case StatusClosed:
		return "已办结"
	}
	return string(s)
}

// Open reports whether the case is still being handled.
func (s Status) Open() bool { return s != StatusClosed && s != StatusDraft }

// Decision is the outcome of the approval.
type Decision string

// Decisions.
const (
	DecisionNone     Decision = ""
	DecisionApproved Decision = "approved" // 准予
	DecisionDenied   Decision = "denied"   // 不予
)

// Label is the decision's Chinese name.
func (d Decision) Label() string {
	switch d {
	case DecisionApproved:
		return "准予许可"
	case DecisionDenied:
		return "不予许可"
	}
	return "未决定"
}

// Completion is how a case was closed, in the national 办结 code set
// (BJJGDM, seen identically in several deployed exchange formats):
// 0 出证办结, 1 退回办结, 2 作废办结, 3 删除办结, 4 转报办结,
// 5 补正超时驳回, 6 办结.
type Completion string

// Completion codes.
const (
	CompletionNone        Completion = ""
	CompletionCertificate Completion = "0" // 出证办结
	CompletionReturned    Completion = "1" // 退回办结（不予受理、不予许可）
	CompletionVoided      Completion = "2" // 作废办结（申请人撤回）
	CompletionDeleted     Completion = "3" // 删除办结
	CompletionForwarded   Completion = "4" // 转报办结
	CompletionTimeout     Completion = "5" // 补正超时驳回
	CompletionDone        Completion = "6" // 办结
)

// Label is the code's Chinese name.
func (c Completion) Label() string {
	switch c {
	case CompletionCertificate:
		return "出证办结"
	case CompletionReturned:
		return "退回办结"
	case CompletionVoided:
		return "作废办结"
	case CompletionDeleted:
		return "删除办结"
	case CompletionForwarded:
		return "转报办结"
	case CompletionTimeout:
		return "补正超时驳回"
	case CompletionDone:
		return "办结"
	}
	return ""
}

// Channel is how an application reached the centre.
type Channel string

// Channels.
const (
	ChannelOnline Channel = "online" // 网上申请
	ChannelWindow Channel = "window" // 窗口代录
	ChannelProxy  Channel = "proxy"  // 代办员代办
)

// Label is the channel's Chinese name.
func (c Channel) Label() string {
	switch c {
	case ChannelOnline:
		return "网上申请"
	case ChannelWindow:
		return "窗口受理"
	case ChannelProxy:
		return "免费代办"
	}
	return string(c)
}
