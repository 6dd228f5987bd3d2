package disclosure

import (
	"fmt"

	"openhall/internal/apperr"
)

// 信息处理费 (Art 42; 政府信息公开信息处理费管理办法, 国办函〔2020〕109号) is charged
// only for requests clearly excessive in number or frequency, in one of two
// progressive ways that are never combined for one request.

// FeePerRequest is the fee of an applicant's n-th request (1-based) to the
// agency in one calendar month (按件计收): the first 10 are free, the 11th
// to 30th cost 100 元 each, and from the 31st every further band of 10
// costs 100 元 more per request.
func FeePerRequest(n int) int64 {
	switch {
	case n <= 10:
		return 0
	case n <= 30:
		return 100
	}
	return 100 * int64(2+(n-31)/10)
}

// FeeByPages is the fee of one request by volume (按量计收): up to 30 pages
// free; pages 31–100 cost 10 元 each, 101–200 20 元, from 201 on 40 元.
func FeeByPages(pages int) int64 {
	bands := []struct{ upTo, price int }{{30, 0}, {100, 10}, {200, 20}, {1 << 30, 40}}
	var fee int64
	prev := 0
	for _, b := range bands {
		if pages <= prev {
			break
		}
		n := min(pages, b.upTo) - prev
		fee += int64(n * b.price)
		prev = b.upTo
	}
	return fee
}

// feeDue is the fee a notice may charge and the basis it states: by volume
// (按量) when it names pages, else per request (按件) by the request's rank
// in the applicant's calendar month (Days). The two ways are never combined
// for one request (国办函〔2020〕109号).
func feeDue(e *Event) (int64, string) {
	if e.Pages > 0 {
		return FeeByPages(e.Pages), fmt.Sprintf("按量计收：%d 页", e.Pages)
	}
	return FeePerRequest(e.Days), fmt.Sprintf("按件计收：该申请人本月第 %d 件申请", e.Days)
}

// checkFeeNotice refuses a fee notice the rules do not allow (条例第四十二条
// and 国办函〔2020〕109号): a fee where they charge nothing, or an amount
// other than theirs.
func checkFeeNotice(e *Event) error {
	var f apperr.Fields
	due, basis := feeDue(e)
	switch {
	case e.Pages < 0:
		f.Add("pages", "页数不能为负数")
	case due == 0 && e.Pages > 0:
		f.Add("pages", basis+"，30 页以下（含）不收费（国办函〔2020〕109号），不能发出收费通知")
	case due == 0:
		f.Add("amount", basis+"，同一申请人一个自然月内 10 件以下（含）不收费（国办函〔2020〕109号），不能发出收费通知；按量计收请填写页数")
	case e.Amount != due:
		f.Add("amount", fmt.Sprintf("%s，应收 %d 元，不是 %d 元（国办函〔2020〕109号）", basis, due, e.Amount))
	}
	f.Check(e.Note == "", "note", "请填写缴费方式（收费通知书须载明，国办函〔2020〕109号）")
	return f.Err()
}
