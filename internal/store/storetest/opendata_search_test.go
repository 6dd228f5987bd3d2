package storetest

import (
	"context"
	"testing"

	"openhall/internal/opendata"
)

// The catalogue search reads datasets through their bigrams and checks a
// longer query as a substring; a changed title is found by its new words
// only.
func TestOpenDataSearchByGrams(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		d := e.published(t, "traffic-flow", opendata.TierOpen)
		e.published(t, "market-Register", opendata.TierOpen)
		retitle(t, e, d, "道路交通流量统计", "各路口每日车流；计数方法见说明")
		for _, tc := range []struct {
			q    string
			want int
		}{
			{"交通流量", 1}, {"流量", 1}, {"统计", 1}, {"流", 1}, // bigrams, one bigram, one character
			{"统计数", 0},           // every bigram is there (统计, 计数), the substring is not
			{"测试数据集 traffic", 0}, // the old title is gone
			{"REGISTER", 1}, {"market-reg", 1}, {"测试数据集", 1}, {"数据集 market", 1},
			{"没有这个词", 0},
		} {
			if _, n, err := e.od.Search(ctx, opendata.DatasetFilter{Q: tc.q}); err != nil || n != tc.want {
				t.Errorf("search %q: %d results (%v), want %d", tc.q, n, err, tc.want)
			}
		}
		got, n, err := e.od.Search(ctx, opendata.DatasetFilter{Q: "交通", Sort: "name", Limit: 5})
		if err != nil || n != 1 || len(got) != 1 || got[0].ID != d.ID {
			t.Fatalf("search 交通 by name: %d %v", n, err)
		}
		second := e.published(t, "second-register", opendata.TierOpen)
		for _, tc := range []struct {
			sort          string
			offset, limit int
			want          string
		}{
			{"", 0, 1, "second-register"}, {"", 1, 5, "market-register"}, {"modified_asc", 0, 1, "market-register"},
			{"name", 0, 1, "market-register"}, {"id", 1, 1, "second-register"},
		} {
			got, n, err := e.od.Search(ctx, opendata.DatasetFilter{Q: "登记", Sort: tc.sort, Offset: tc.offset, Limit: tc.limit})
			if err != nil || n != 2 || len(got) != 1 || got[0].Name != tc.want {
				t.Errorf("search 登记 sorted %q from %d: %d results %v, want %s first", tc.sort, tc.offset, n, err, tc.want)
			}
		}
		if _, err := e.od.SetStatus(ctx, e.drafter, second.ID, opendata.StatusWithdrawn); err != nil {
			t.Fatal(err)
		}
		for _, sort := range []string{"", "name", "id"} {
			if _, n, _ := e.od.Search(ctx, opendata.DatasetFilter{Q: "登记", Sort: sort}); n != 1 {
				t.Fatalf("a withdrawn dataset is still counted (sorted %q): %d", sort, n)
			}
		}
		for _, tc := range []struct {
			publisher int64
			want      int
		}{{0, 2}, {e.agency.ID, 2}, {e.other.ID, 0}, {-1, 0}} {
			got, n, err := e.od.Search(ctx, opendata.DatasetFilter{PublisherID: tc.publisher, Limit: 10})
			if err != nil || n != tc.want || len(got) != tc.want {
				t.Errorf("listing of publisher %d: %d (%d on the page) %v, want %d", tc.publisher, n, len(got), err, tc.want)
			}
		}
	})
}

// retitle saves a dataset with a new title and description.
func retitle(t *testing.T, e *openDataEnv, d *opendata.Dataset, title, desc string) {
	t.Helper()
	in := opendata.DatasetInput{PublisherID: d.PublisherID, Name: d.Name, Title: title, Description: desc, Theme: d.Theme,
		Frequency: d.Frequency, License: d.License, ContactName: d.ContactName, ContactPhone: d.ContactPhone, Tier: d.Tier,
		Spatial: d.Spatial, Columns: d.Columns}
	if _, err := e.od.SaveDataset(context.Background(), e.drafter, d.ID, in); err != nil {
		t.Fatalf("retitle: %v", err)
	}
}
