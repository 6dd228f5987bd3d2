package sqlite

import (
	"context"

	"openhall/internal/disclosure"
)

// CreateReview inserts a 保密审查 record.
func (s *DisclosureStore) CreateReview(ctx context.Context, r *disclosure.Review) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_reviews (doc_id, reviewer_id, reviewer_name, reviewed_on,
			conclusion, basis, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.DocID, r.ReviewerID, r.ReviewerName,
			dateText(r.ReviewedOn), r.Conclusion, r.Basis, r.Note, micro(r.CreatedAt)).Scan(&r.ID)
		return mapError(err)
	})
}

// FindReviews lists a document's reviews, oldest first.
func (s *DisclosureStore) FindReviews(ctx context.Context, docID int64) ([]*disclosure.Review, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, doc_id, reviewer_id, reviewer_name, reviewed_on, conclusion, basis, note,
		created_at FROM disclosure_reviews WHERE doc_id = ? ORDER BY id`, docID)
	return collect(rows, err, func(r scanner) (*disclosure.Review, error) {
		var v disclosure.Review
		var on string
		var created int64
		err := r.Scan(&v.ID, &v.DocID, &v.ReviewerID, &v.ReviewerName, &on, &v.Conclusion, &v.Basis, &v.Note, &created)
		v.ReviewedOn, v.CreatedAt = textDate(on), fromMicro(created)
		return &v, err
	})
}

// CreateAttachment inserts a file.
func (s *DisclosureStore) CreateAttachment(ctx context.Context, a *disclosure.Attachment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_attachments (owner_type, owner_id, name, content_type, size,
			text, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.OwnerType, a.OwnerID, a.Name, a.ContentType,
			a.Size, a.Text, a.Content, micro(a.CreatedAt)).Scan(&a.ID)
		return mapError(err)
	})
}

const attachmentColumns = `id, owner_type, owner_id, name, content_type, size, text, created_at`

// FindAttachments lists the files of an owner, without content.
func (s *DisclosureStore) FindAttachments(ctx context.Context, ownerType string, ownerID int64) ([]*disclosure.Attachment, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+attachmentColumns+` FROM disclosure_attachments
		WHERE owner_type = ? AND owner_id = ? ORDER BY id`, ownerType, ownerID)
	return collect(rows, err, func(r scanner) (*disclosure.Attachment, error) { return scanAttachment(r) })
}

// FindAttachment returns one file with its content.
func (s *DisclosureStore) FindAttachment(ctx context.Context, id int64) (*disclosure.Attachment, error) {
	var content []byte
	a, err := scanAttachment(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+attachmentColumns+`, content
		FROM disclosure_attachments WHERE id = ?`, id), &content)
	if err != nil {
		return nil, notFound(err, "附件不存在")
	}
	a.Content = content
	return a, nil
}

func scanAttachment(r scanner, extra ...any) (*disclosure.Attachment, error) {
	var a disclosure.Attachment
	var created int64
	err := r.Scan(append([]any{&a.ID, &a.OwnerType, &a.OwnerID, &a.Name, &a.ContentType, &a.Size, &a.Text, &created}, extra...)...)
	a.CreatedAt = fromMicro(created)
	return &a, err
}
