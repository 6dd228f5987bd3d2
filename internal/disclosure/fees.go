package disclosure

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
