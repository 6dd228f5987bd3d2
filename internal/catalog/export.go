package catalog

import (
	"context"
)

// Export returns, for every published item matching the filter, the item
// input that reproduces the guide in effect today: what the Excel export
// writes and an import reads back.
func (s *Service) Export(ctx context.Context, q SearchQuery) ([]ItemInput, error) {
	var out []ItemInput
	q.Limit = MaxPage
	for q.Offset = 0; ; q.Offset += MaxPage {
		its, total, err := s.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			v, err := s.CurrentVersion(ctx, it.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, ItemInput{Code: it.Code, ImplCode: it.ImplCode, DeptCode: it.DepartmentCode, Guide: v.Guide})
		}
		if q.Offset+MaxPage >= total {
			return out, nil
		}
	}
}
