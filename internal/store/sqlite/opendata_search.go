package sqlite

import (
	"context"
	"encoding/hex"
	"strings"

	"openhall/internal/opendata"
)

// The public catalogue search (see the opendata_grams table): listed
// datasets are indexed by their bigrams under their search key, so a
// query's matches are counted, and the newest paged, from the FTS index
// alone; other searches use it as a filter.

// A search key is the seconds from keyEpoch to the dataset's modification
// in the high 31 bits and its id in the low keyIDBits: unique, and larger
// for newer datasets until 2088.
const (
	keyIDBits = 32
	keyIDMask = 1<<keyIDBits - 1
	keyEpoch  = 1577836800 // 2020-01-01T00:00:00Z
)

// searchKey is a listed dataset's key (0 when it is not listed).
func searchKey(d *opendata.Dataset) int64 {
	if d.Status != opendata.StatusPublished || d.Tier == opendata.TierClosed {
		return 0
	}
	return max(d.ModifiedAt.Unix()-keyEpoch, 0)<<keyIDBits | d.ID
}

// listing is where a dataset stood in the public catalogue before a
// change: its search key (0 = not listed) and publisher.
type listing struct {
	key, publisherID int64
}

func (s *OpenDataStore) listingOf(ctx context.Context, id int64) (listing, error) {
	var l listing
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT search_key, publisher_id FROM opendata_datasets WHERE id = ?`, id).
		Scan(&l.key, &l.publisherID)
	return l, notFound(err, "数据集不存在")
}

// putSearch indexes d under a fresh key in place of its old listing, and
// keeps the listed counts per publisher.
func (s *OpenDataStore) putSearch(ctx context.Context, d *opendata.Dataset, old listing) error {
	q := s.db.q(ctx)
	key := searchKey(d)
	if old.key != 0 {
		if _, err := q.ExecContext(ctx, `DELETE FROM opendata_grams WHERE rowid = ?`, old.key); err != nil {
			return mapError(err)
		}
		if err := s.addListed(ctx, old.publisherID, -1); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, `UPDATE opendata_datasets SET search_key = ? WHERE id = ?`, key, d.ID); err != nil || key == 0 {
		return mapError(err)
	}
	if err := s.addListed(ctx, d.PublisherID, 1); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO opendata_grams (rowid, grams) VALUES (?, ?)`, key,
		strings.Join(hexGrams(opendata.SearchGrams(d.SearchText())), " "))
	return mapError(err)
}

func hexGrams(grams []string) []string {
	out := make([]string, len(grams))
	for i, g := range grams {
		out[i] = strings.ToUpper(hex.EncodeToString([]byte(g)))
	}
	return out
}

// gramMatch is the FTS query of q's grams ("" when q has none).
func gramMatch(q string) string {
	grams := hexGrams(opendata.QueryGrams(q))
	if len(grams) == 0 {
		return ""
	}
	return `"` + strings.Join(grams, `" AND "`) + `"`
}

// keyOrdered reports whether a search is answered from the FTS index
// alone: the public catalogue searched by a query that its bigrams decide
// (two characters), newest or oldest first, with no other filter.
func keyOrdered(f opendata.DatasetFilter) bool {
	return gramsDecide(f) && (f.Sort == "" || f.Sort == "modified" || f.Sort == "modified_asc")
}

// gramsDecide reports whether the FTS index alone decides which datasets
// match: the public catalogue, a query its bigrams decide, no other filter.
func gramsDecide(f opendata.DatasetFilter) bool {
	q := strings.TrimSpace(f.Q)
	plain := f.Theme == "" && f.PublisherID == 0 && f.PathPrefix == "" && f.Tier == "" && f.Since.IsZero() &&
		(f.Status == "" || f.Status == opendata.StatusPublished)
	return f.Listed && plain && !opendata.QueryNeedsCheck(q)
}

// countMatches counts a search the FTS index decides.
func (s *OpenDataStore) countMatches(ctx context.Context, q string) (int, error) {
	var total int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM opendata_grams WHERE opendata_grams MATCH ?`, gramMatch(q)).Scan(&total)
	return total, mapError(err)
}

// findByKeys answers a keyOrdered search: the count and a page of ids
// from the FTS index, then those datasets.
func (s *OpenDataStore) findByKeys(ctx context.Context, f opendata.DatasetFilter) ([]*opendata.Dataset, int, error) {
	q, match := s.db.q(ctx), gramMatch(f.Q)
	total, err := s.countMatches(ctx, f.Q)
	if err != nil {
		return nil, 0, err
	}
	dir := "DESC"
	if f.Sort == "modified_asc" {
		dir = "ASC"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+datasetColumns+` FROM (SELECT rowid AS k FROM opendata_grams
		WHERE opendata_grams MATCH ? ORDER BY rowid `+dir+` LIMIT ? OFFSET ?) g
		CROSS JOIN opendata_datasets d ON d.id = g.k & ? JOIN disclosure_agencies a ON a.id = d.publisher_id
		JOIN regions r ON r.id = a.region_id ORDER BY g.k `+dir, match, max(f.Limit, 1), f.Offset, keyIDMask)
	ds, err := collect(rows, err, scanDataset)
	return ds, total, err
}

func (s *OpenDataStore) addListed(ctx context.Context, publisherID int64, n int) error {
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO opendata_listed_counts (publisher_id, n) VALUES (?, ?)
		ON CONFLICT (publisher_id) DO UPDATE SET n = n + excluded.n`, publisherID, n)
	return mapError(err)
}

// countDatasets counts a search's matches: a listing of the public
// catalogue, whole or one publisher's, from the kept counts; anything else
// by counting the rows.
func (s *OpenDataStore) countDatasets(ctx context.Context, f opendata.DatasetFilter, where string, args []any) (int, error) {
	if gramsDecide(f) {
		return s.countMatches(ctx, f.Q) // sorted by name or id: the count is still the index's
	}
	var total int
	query, qargs := `SELECT count(*) FROM opendata_datasets d WHERE `+where, args
	plain := f.Theme == "" && f.PathPrefix == "" && f.Tier == "" && f.Since.IsZero() && (f.Status == "" || f.Status == opendata.StatusPublished)
	if f.Listed && plain && strings.TrimSpace(f.Q) == "" {
		query, qargs = `SELECT COALESCE(sum(n), 0) FROM opendata_listed_counts WHERE ? IN (0, publisher_id)`, []any{f.PublisherID}
	}
	err := s.db.q(ctx).QueryRowContext(ctx, query, qargs...).Scan(&total)
	return total, mapError(err)
}
