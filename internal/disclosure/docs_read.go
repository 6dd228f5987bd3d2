package disclosure

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// Document returns a document to a reader: published ones to anyone, the
// others only to the agency's 公开专员 and 部门负责人.
func (s *Service) Document(ctx context.Context, a *identity.Actor, id int64) (*Document, error) {
	d, ag, err := s.docFor(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Status == StatusPublished || CanDraft(a, ag) == nil || inScope(a, identity.RoleDeptHead, ag) {
		return d, nil
	}
	return nil, apperr.New(apperr.NotFound, "信息不存在或尚未公开")
}

// PublishedDocuments lists an agency's published catalogue.
func (s *Service) PublishedDocuments(ctx context.Context, f DocFilter) ([]*Document, int, error) {
	f.Published, f.Status = true, ""
	return s.store.FindDocuments(ctx, f)
}

// StaffDocuments lists the documents of an agency for its staff.
func (s *Service) StaffDocuments(ctx context.Context, a *identity.Actor, f DocFilter) ([]*Document, int, error) {
	ag, err := s.agencyOf(ctx, "", f.AgencyID)
	if err != nil {
		return nil, 0, err
	}
	if err := CanDraft(a, ag); err != nil && !inScope(a, identity.RoleDeptHead, ag) {
		return nil, 0, err
	}
	return s.store.FindDocuments(ctx, f)
}

// Reviews lists a document's review records, oldest first.
func (s *Service) Reviews(ctx context.Context, id int64) ([]*Review, error) {
	return s.store.FindReviews(ctx, id)
}

// Interpretations lists the 政策解读 linked to a policy.
func (s *Service) Interpretations(ctx context.Context, policyID int64) ([]*Document, error) {
	return s.store.FindInterpretations(ctx, policyID)
}

// CatalogueCounts counts an agency's published documents by category
// ("category") or topic ("topic").
func (s *Service) CatalogueCounts(ctx context.Context, agencyID int64, field string) (map[string]int, error) {
	return s.store.DocumentCounts(ctx, agencyID, field)
}

// Attachments lists the files of a document or request, without content.
func (s *Service) Attachments(ctx context.Context, ownerType string, id int64) ([]*Attachment, error) {
	return s.store.FindAttachments(ctx, ownerType, id)
}

// Attachment returns a document's file with its content to whoever may read
// the document.
func (s *Service) Attachment(ctx context.Context, a *identity.Actor, id int64) (*Attachment, error) {
	at, err := s.store.FindAttachment(ctx, id)
	if err != nil {
		return nil, err
	}
	if at.OwnerType == "doc" {
		_, err = s.Document(ctx, a, at.OwnerID)
	} else {
		_, err = s.Request(ctx, a, at.OwnerID)
	}
	return at, err
}

// MaxAttachmentBytes bounds one uploaded file.
const MaxAttachmentBytes = 8 << 20

// AttachToDocument adds a file to a draft or published document; a
// published one is re-indexed, so the file's text is searchable at once.
func (s *Service) AttachToDocument(ctx context.Context, a *identity.Actor, id int64, name, contentType string, content []byte) (*Attachment, error) {
	at := newAttachment("doc", id, name, contentType, content)
	if err := at.validate(); err != nil {
		return nil, err
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, ag, err := s.docFor(ctx, id)
		if err != nil {
			return err
		}
		if err := CanDraft(a, ag); err != nil {
			return err
		}
		if err := wantStatus(d, StatusDraft, StatusPublished); err != nil {
			return err
		}
		at.ID, at.CreatedAt = 0, s.now() // set afresh: this may be a rerun
		if err := s.store.CreateAttachment(ctx, at); err != nil {
			return err
		}
		if err := s.record(ctx, a, ag, "disclosure.doc.attach", "disclosure_doc", d.ID, map[string]any{"file": at.Name, "size": at.Size}); err != nil {
			return err
		}
		if d.Status == StatusPublished {
			return s.index(ctx, d)
		}
		return nil
	})
	return at, err
}

func newAttachment(ownerType string, id int64, name, contentType string, content []byte) *Attachment {
	at := &Attachment{OwnerType: ownerType, OwnerID: id, Name: SanitizeFileName(name), ContentType: contentType,
		Size: int64(len(content)), Content: content}
	if at.ContentType == "" {
		at.ContentType = "application/octet-stream"
	}
	at.Text = attachmentText(at.Name, content)
	return at
}

func (at *Attachment) validate() error {
	var f apperr.Fields
	f.Check(at.Size == 0, "file", "请选择要上传的文件")
	f.Check(at.Size > MaxAttachmentBytes, "file", "单个附件不能超过 8 MB")
	return f.Err()
}

// attachmentText extracts searchable text from text, Markdown and HTML
// files; other formats are kept but not searched.
func attachmentText(name string, content []byte) string {
	lower := strings.ToLower(name)
	if !utf8.Valid(content) {
		return ""
	}
	switch {
	case strings.HasSuffix(lower, ".html"), strings.HasSuffix(lower, ".htm"):
		return PlainText(string(content))
	case strings.HasSuffix(lower, ".txt"), strings.HasSuffix(lower, ".md"), strings.HasSuffix(lower, ".csv"):
		return string(content)
	}
	return ""
}

// Workbench is what a 公开专员 sees first.
type Workbench struct {
	Overdue   []*Document // Art 26: active items unpublished past their deadline
	InReview  []*Document
	Rereview  []*Document // Art 18: withheld items due for re-review
	Requests  []*RequestView
	Agencies  []*Agency
	AsOf      calendar.Date
	Deadlines map[int64]PublishDue // publication deadline per listed document
}

// Workbench gathers an officer's work across the agencies they serve:
// drafts past the Art 26 deadline, items waiting for review, withheld items
// due for re-review, and open requests with their due dates.
func (s *Service) Workbench(ctx context.Context, a *identity.Actor) (*Workbench, error) {
	w := &Workbench{AsOf: s.today(), Deadlines: map[int64]PublishDue{}}
	all, err := s.store.FindAgencies(ctx, AgencyFilter{})
	if err != nil {
		return nil, err
	}
	for _, ag := range all {
		if CanDraft(a, ag) == nil {
			w.Agencies = append(w.Agencies, ag)
			if err := s.fillWorkbench(ctx, a, ag, w); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

func (s *Service) fillWorkbench(ctx context.Context, a *identity.Actor, ag *Agency, w *Workbench) error {
	cal, err := s.cals.ForRegion(ag.RegionPath)
	if err != nil {
		return err
	}
	overdue, err := s.overdueDocuments(ctx, cal, ag, w)
	if err != nil {
		return err
	}
	inReview, _, err := s.store.FindDocuments(ctx, DocFilter{AgencyID: ag.ID, Status: StatusReview, Limit: 200})
	if err != nil {
		return err
	}
	if err := s.fillDeadlines(ctx, cal, inReview, w); err != nil {
		return err
	}
	rereview, _, err := s.store.FindDocuments(ctx, DocFilter{AgencyID: ag.ID, RereviewDue: w.AsOf, Limit: 200})
	if err != nil {
		return err
	}
	w.Overdue, w.InReview, w.Rereview = append(w.Overdue, overdue...), append(w.InReview, inReview...), append(w.Rereview, rereview...)
	reqs, _, err := s.AgencyRequests(ctx, a, RequestFilter{AgencyID: ag.ID, Open: true, Limit: 500})
	w.Requests = append(w.Requests, reqs...)
	return err
}

// overdueDocuments finds an agency's active items unpublished past their
// category's deadline. The store is asked for those formed before the
// latest cutoff of any rule (the shortest period); each is then held
// against its own rule.
func (s *Service) overdueDocuments(ctx context.Context, cal *calendar.Calendar, ag *Agency, w *Workbench) ([]*Document, error) {
	rules, err := s.PublishRules(ctx)
	if err != nil {
		return nil, err
	}
	var cutoff calendar.Date
	for _, r := range rules {
		c, err := formedCutoff(cal, r, w.AsOf)
		if err != nil {
			return nil, err
		}
		if c.After(cutoff) {
			cutoff = c
		}
	}
	maybe, _, err := s.store.FindDocuments(ctx, DocFilter{AgencyID: ag.ID, OverdueOn: cutoff, Limit: 500})
	if err != nil {
		return nil, err
	}
	var late []*Document
	for _, d := range maybe {
		p, err := dueUnder(cal, ruleFor(rules, d.Category), d.FormedOn)
		if err != nil {
			return nil, err
		}
		if p.Overdue(w.AsOf) {
			late, w.Deadlines[d.ID] = append(late, d), p
		}
	}
	return late, nil
}

func (s *Service) fillDeadlines(ctx context.Context, cal *calendar.Calendar, docs []*Document, w *Workbench) error {
	rules, err := s.PublishRules(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if w.Deadlines[d.ID], err = dueUnder(cal, ruleFor(rules, d.Category), d.FormedOn); err != nil {
			return err
		}
	}
	return nil
}

// formedCutoff returns the day after the latest formation date whose
// deadline under r has passed by today: documents formed before it are
// overdue if unpublished.
func formedCutoff(cal *calendar.Calendar, r *PublishRule, today calendar.Date) (calendar.Date, error) {
	if r.Calendar {
		return today.AddDays(-r.Days), nil
	}
	d := today
	for n := 0; n < r.Days; {
		d = d.AddDays(-1)
		work, err := cal.IsWorkday(d)
		if err != nil {
			return d, err
		}
		if work {
			n++
		}
	}
	return d, nil
}
