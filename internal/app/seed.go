package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/cases"
)

// seedBatch is how many copies one transaction inserts.
const seedBatch = 2000

// SeedCases fills the database for capacity measurements: it inserts n
// copies of the case numbered template, with their events and materials,
// and returns the id range of the copies. Every copy keeps the template's
// 查询密码 and materials (the same stored files); each has an applicant name
// of its own and belongs to no account, so that no applicant's list holds
// the copies. progress, if not nil, hears the count after each transaction.
func (a *App) SeedCases(ctx context.Context, template string, n int, progress func(done int)) (first, last int64, err error) {
	tpl, hash, err := a.Stores.Cases.FindCaseByNumber(ctx, template)
	if err != nil {
		return 0, 0, err
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for done := 0; done < n; {
		size := min(seedBatch, n-done)
		var lo, hi int64
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			lo, hi = 0, 0
			for i := done; i < done+size; i++ {
				c := seedCopy(tpl, i)
				if err := a.Stores.Cases.CreateCase(ctx, c, "seed-"+run+"-"+strconv.Itoa(i), hash, nil); err != nil {
					return fmt.Errorf("seed case %d: %w", i, err)
				}
				if lo == 0 {
					lo = c.ID
				}
				hi = c.ID
			}
			return nil
		})
		if err != nil {
			return first, last, err
		}
		if first == 0 {
			first = lo
		}
		last, done = hi, done+size
		if progress != nil {
			progress(done)
		}
	}
	return first, last, nil
}

// seedCopy is copy i of a case, ready to be created.
func seedCopy(tpl *cases.Case, i int) *cases.Case {
	c := *tpl
	c.ID, c.Number = 0, ""
	c.Applicant.UserID = 0
	c.Applicant.Name = seedName(i)
	return &c
}

const (
	seedSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
	seedGiven    = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
)

// seedName is a plausible two- or three-character name, varied by i.
func seedName(i int) string {
	surnames, given := []rune(seedSurnames), []rune(seedGiven)
	s, g := len(surnames), len(given)
	name := []rune{surnames[i%s], given[(i/s)%g]}
	if i%3 != 0 {
		name = append(name, given[(i/(s*g))%g])
	}
	return string(name)
}
