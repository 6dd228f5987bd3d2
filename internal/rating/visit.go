package rating

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Visit is one service at a window whose visitor is asked to rate it by
// SMS (一次一评). The phone number is kept only to send the link and to
// call back a bad review; it is shown masked.
type Visit struct {
	ID         int64
	Target     Target // window, clerk, region and department
	WindowName string
	Phone      string
	CaseNumber string // the case served, if any
	CreatedAt  time.Time
}

// Number is the visit's number, used as the rating's projectNo.
func (v *Visit) Number() string {
	return fmt.Sprintf("FW%s%08d", v.CreatedAt.In(chinaTime).Format("060102"), v.ID)
}

// Texter sends one text message to a phone number (through the SMS
// gateway; the number is never logged unmasked). Link is a path of this
// product, made absolute by the texter.
type Texter interface {
	Text(ctx context.Context, phone, text, link string) error
}

// CanInviteBySMS reports why visitors cannot be invited to rate by SMS,
// or nil: the message needs an SMS gateway, and its link the product's
// public address (a job sending it has no request to take a host from).
func (s *Service) CanInviteBySMS() error {
	switch {
	case !s.d.SMS:
		return apperr.New(apperr.Conflict, "本系统未配置短信网关，无法发送评价短信；请办事群众使用窗口评价器或扫描回执上的二维码评价")
	case s.d.PublicURL == "":
		return apperr.New(apperr.Conflict, "本系统未设置公网地址（--public-url），短信中的评价链接无法在手机上打开，短信未发送；请联系系统管理员设置")
	}
	return nil
}

// InviteVisit records a visit at a window the clerk is seated at and sends
// the visitor the rating link by SMS, through the job queue.
func (s *Service) InviteVisit(ctx context.Context, a *identity.Actor, windowID int64, phone, caseNumber string) (*Visit, error) {
	w, err := s.seatedWindow(ctx, a, windowID)
	if err != nil {
		return nil, err
	}
	if err := s.CanInviteBySMS(); err != nil {
		return nil, err
	}
	if err := pii.CheckMobile(phone); err != nil {
		return nil, apperr.Field("phone", "手机号码无效："+apperr.MessageOf(err))
	}
	if caseNumber = strings.TrimSpace(caseNumber); caseNumber != "" {
		// The case served at this window: one of the window's region.
		ci, err := s.d.Cases.CaseInfoByNumber(ctx, caseNumber)
		if err != nil || !strings.HasPrefix(ci.Target.RegionPath, w.RegionPath) {
			return nil, apperr.Field("case_number", "没有在本窗口所属地区办理的这个办件编号，请核对；也可不填")
		}
	}
	var v *Visit
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		v = &Visit{Target: Target{RegionPath: w.RegionPath, RegionCode: w.RegionCode, DepartmentID: w.DepartmentID,
			Department: w.Department, WindowID: w.ID, StaffID: a.UserID}, WindowName: w.Number + " " + w.Name,
			Phone: pii.NormalizeMobile(phone), CaseNumber: caseNumber, CreatedAt: s.d.Now()}
		if err := s.d.Store.CreateVisit(ctx, v); err != nil {
			return err
		}
		if err := s.d.Scheduler.ScheduleVisitSMS(ctx, v.ID); err != nil {
			return err
		}
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + w.RegionPath, Action: "rating.visit.invite",
			ObjectType: "visit", ObjectID: strconv.FormatInt(v.ID, 10),
			Change: map[string]any{"window": w.Number, "phone": pii.MaskMobile(v.Phone)}})
	})
	return v, err
}

// SendVisitSMS sends a visit's rating link; it is the SMS job's handler.
func (s *Service) SendVisitSMS(ctx context.Context, t Texter, visitID int64) error {
	v, err := s.d.Store.FindVisitByID(ctx, visitID)
	if err != nil {
		return err
	}
	window := windowLabel(v.WindowName)
	text := fmt.Sprintf("【阳光政务大厅】感谢您在%s办理业务，请对本次服务作出评价：", window)
	ls, err := s.visitSubject(ctx, v.ID)
	if err != nil {
		return err
	}
	if ls.CanAgain {
		text = fmt.Sprintf("【阳光政务大厅】您对%s服务的评价已有整改反馈，请查看并再次评价：", window)
	} else if !ls.CanRate {
		return nil // rated meanwhile, and nothing new to tell
	}
	return t.Text(ctx, v.Phone, text, s.visitLink(v.ID))
}

// windowLabel names a window in a sentence: "A01 综合受理窗口" as it is,
// "A02 社保" as "A02 社保窗口".
func windowLabel(name string) string {
	if strings.HasSuffix(name, "窗口") {
		return name
	}
	return name + "窗口"
}

// visitSubject resolves a visit's rating link.
func (s *Service) visitSubject(ctx context.Context, id int64) (*LinkSubject, error) {
	v, err := s.d.Store.FindVisitByID(ctx, id)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "评价链接无效")
	}
	list, _, err := s.d.Store.FindRatings(ctx, Filter{VisitID: id, Limit: 10})
	if err != nil {
		return nil, err
	}
	ls := &LinkSubject{Kind: SubjectVisit, Visit: v, Window: v.WindowName, Channel: ChannelSMS}
	ls.CanRate = latestFirst(list) == nil
	if !ls.CanRate {
		ls.Why = "本次服务已评价过"
		if err := s.withTicket(ctx, ls, latestFirst(list)); err != nil {
			return nil, err
		}
		return ls, nil
	}
	return ls, s.visitPeriod(ctx, ls, v)
}

// visitPeriod closes a visit's link to a first rating once the region's
// 评价时效 after the visit has passed (GB/T 39734 §7.2, as for a case; a
// visit gets no default rating): a link kept for years would count a
// rating in a month the service was not given in. While the period's end
// is provisional the link stays open, as a default rating waits.
func (s *Service) visitPeriod(ctx context.Context, ls *LinkSubject, v *Visit) error {
	lim, err := s.LimitsFor(ctx, v.Target.RegionPath)
	if err != nil {
		return err
	}
	end, prov, err := s.endOfPeriod(v.Target.RegionPath, v.CreatedAt, lim.DefaultDays)
	if err != nil {
		return err
	}
	if over, _ := s.passed(end, prov); over {
		ls.CanRate, ls.Why = false, fmt.Sprintf("本次服务的评价时效（%d 个工作日）已过，不能再评价", lim.DefaultDays)
	}
	return nil
}

// visitRating builds the first rating of a visit.
func (s *Service) visitRating(v *Visit, in Input) *Rating {
	return &Rating{Subject: SubjectVisit, CaseNumber: v.Number(), VisitID: v.ID, Stage: StageDone, Number: FirstEvaluation,
		Level: in.Level, Indicators: in.Indicators, Channel: ChannelSMS, Anonymous: in.Anonymous, Comment: in.Comment,
		Target: v.Target, Source: SourceLocal, Key: newKey(), At: s.d.Now()}
}
