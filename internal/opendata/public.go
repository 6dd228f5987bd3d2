package opendata

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// MaxPage bounds one page of a listing.
const MaxPage = 1000

// Dataset returns a dataset by name: a published one to anyone, others to
// those who may oversee its publisher.
func (s *Service) Dataset(ctx context.Context, a *identity.Actor, name string) (*Dataset, error) {
	d, err := s.d.Store.FindDatasetByName(ctx, strings.ToLower(strings.TrimSpace(name)))
	if err != nil {
		return nil, err
	}
	return d, s.canSee(ctx, a, d)
}

// DatasetByID returns a dataset by id under the same rule.
func (s *Service) DatasetByID(ctx context.Context, a *identity.Actor, id int64) (*Dataset, error) {
	d, err := s.d.Store.FindDatasetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return d, s.canSee(ctx, a, d)
}

func (s *Service) canSee(ctx context.Context, a *identity.Actor, d *Dataset) error {
	if d.Status == StatusPublished {
		return nil
	}
	ag, err := s.publisher(ctx, "", d.PublisherID)
	if err != nil {
		return err
	}
	return CanOversee(a, ag)
}

// canRead decides who reads a dataset's rows without a key: anyone for a
// published 无条件开放 dataset, its managers always; 有条件开放 data is read
// through a key (see Access), 不予开放 data never leaves the platform.
func (s *Service) canRead(ctx context.Context, a *identity.Actor, d *Dataset) error {
	ag, err := s.publisher(ctx, "", d.PublisherID)
	if err != nil {
		return err
	}
	if CanManage(a, ag) == nil {
		return nil
	}
	switch {
	case d.Status != StatusPublished:
		return apperr.New(apperr.NotFound, "数据集不存在或尚未发布")
	case d.Tier == TierConditional:
		return apperr.New(apperr.Forbidden, "“%s”为有条件开放数据：请申请使用，获批后以接口密钥访问", d.Title)
	case d.Tier == TierClosed:
		return apperr.New(apperr.Forbidden, "“%s”不予开放：%s", d.Title, d.TierReason)
	}
	return nil
}

// Search lists published datasets that are served or listed (不予开放 ones
// are listed with their reason on the portal; exports leave them out when
// f.Listed is set).
func (s *Service) Search(ctx context.Context, f DatasetFilter) ([]*Dataset, int, error) {
	f.Status = StatusPublished
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 20
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return s.d.Store.FindDatasets(ctx, f)
}

// StaffDatasets lists the datasets of the publishers an actor manages or
// oversees, in any state.
func (s *Service) StaffDatasets(ctx context.Context, a *identity.Actor, f DatasetFilter) ([]*Dataset, error) {
	f.Limit, f.Offset = MaxPage, 0
	all, _, err := s.d.Store.FindDatasets(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []*Dataset
	seen := map[int64]error{}
	for _, d := range all {
		ok, done := seen[d.PublisherID]
		if !done {
			ag, err := s.publisher(ctx, "", d.PublisherID)
			if err != nil {
				return nil, err
			}
			ok = CanOversee(a, ag)
			seen[d.PublisherID] = ok
		}
		if ok == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// Publishers lists the agencies that publish at least one listed dataset,
// with their count: the CKAN organisations.
func (s *Service) Publishers(ctx context.Context) ([]PublisherCount, error) {
	all, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Listed: true, Limit: 1 << 30, Sort: "name"})
	if err != nil {
		return nil, err
	}
	var out []PublisherCount
	index := map[int64]int{}
	for _, d := range all {
		i, ok := index[d.PublisherID]
		if !ok {
			i = len(out)
			index[d.PublisherID] = i
			out = append(out, PublisherCount{ID: d.PublisherID, Name: d.PublisherName})
		}
		out[i].Datasets++
	}
	return out, nil
}

// PublisherCount is a publisher and how many listed datasets it has.
type PublisherCount struct {
	ID       int64
	Name     string
	Datasets int
}

// CountDownload records one download of a dataset.
func (s *Service) CountDownload(ctx context.Context, d *Dataset) error {
	return s.d.Store.CountDownload(ctx, d.ID)
}

// ManagedPublishers lists the agencies whose datasets the actor manages.
func (s *Service) ManagedPublishers(ctx context.Context, a *identity.Actor) ([]*disclosure.Agency, error) {
	all, err := s.d.Agencies.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var out []*disclosure.Agency
	for _, ag := range all {
		if CanManage(a, ag) == nil {
			out = append(out, ag)
		}
	}
	return out, nil
}
