package postgres

import (
	"context"
	"time"

	"openhall/internal/disclosure"

	"github.com/jackc/pgx/v5"
)

// CreateReview inserts a 保密审查 record.
func (s *DisclosureStore) CreateReview(ctx context.Context, r *disclosure.Review) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO disclosure_reviews (doc_id, reviewer_id, reviewer_name, reviewed_on,
			conclusion, basis, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, r.DocID, r.ReviewerID, r.ReviewerName,
			dateText(r.ReviewedOn), r.Conclusion, r.Basis, r.Note, r.CreatedAt).Scan(&r.ID)
		return mapError(err)
	})
}

// FindReviews lists a document's reviews, oldest first.
func (s *DisclosureStore) FindReviews(ctx context.Context, docID int64) ([]*disclosure.Review, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, doc_id, reviewer_id, reviewer_name, reviewed_on, conclusion, basis, note,
		created_at FROM disclosure_reviews WHERE doc_id = $1 ORDER BY id`, docID)
	return scanAll(rows, err, func(r pgx.Row) (*disclosure.Review, error) {
		var v disclosure.Review
		var on string
		var created time.Time
		err := r.Scan(&v.ID, &v.DocID, &v.ReviewerID, &v.ReviewerName, &on, &v.Conclusion, &v.Basis, &v.Note, &created)
		v.ReviewedOn, v.CreatedAt = textDate(on), created.UTC()
		return &v, err
	})
}

// CreateAttachment inserts a file.
func (s *DisclosureStore) CreateAttachment(ctx context.Context, a *disclosure.Attachment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO disclosure_attachments (owner_type, owner_id, name, content_type, size,
			text, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.OwnerType, a.OwnerID, a.Name, a.ContentType,
			a.Size, a.Text, a.Content, a.CreatedAt).Scan(&a.ID)
		return mapError(err)
	})
}

const attachmentColumns = `id, owner_type, owner_id, name, content_type, size, text, created_at`

// FindAttachments lists the files of an owner, without content.
func (s *DisclosureStore) FindAttachments(ctx context.Context, ownerType string, ownerID int64) ([]*disclosure.Attachment, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+attachmentColumns+` FROM disclosure_attachments
		WHERE owner_type = $1 AND owner_id = $2 ORDER BY id`, ownerType, ownerID)
	return scanAll(rows, err, func(r pgx.Row) (*disclosure.Attachment, error) { return scanAttachment(r) })
}

// FindAttachment returns one file with its content.
func (s *DisclosureStore) FindAttachment(ctx context.Context, id int64) (*disclosure.Attachment, error) {
	var content []byte
	a, err := scanAttachment(s.db.q(ctx).QueryRow(ctx, `SELECT `+attachmentColumns+`, content
		FROM disclosure_attachments WHERE id = $1`, id), &content)
	if err != nil {
		return nil, notFound(err, "附件不存在")
	}
	a.Content = content
	return a, nil
}

func scanAttachment(r pgx.Row, extra ...any) (*disclosure.Attachment, error) {
	var a disclosure.Attachment
	var created time.Time
	err := r.Scan(append([]any{&a.ID, &a.OwnerType, &a.OwnerID, &a.Name, &a.ContentType, &a.Size, &a.Text, &created}, extra...)...)
	a.CreatedAt = created.UTC()
	return &a, err
}
