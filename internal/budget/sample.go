package budget

import "sort"

// Sample returns a balanced set of tables for a small market-regulation
// department, every amount scaled by percent/100: the demonstration data
// and the tests' starting point. Leaves are given; 类, 款, 合计 and fixed
// totals are summed here, so the set always balances.
func Sample(percent int64) []Line {
	k := func(wan int64) Amount { return Amount(wan * 100 * percent / 100) }
	b1, b2, b3, b4 := k(500), k(80), k(40), k(60)
	p1, p2, gf := k(120), k(200), k(50)
	other, carried := k(30), k(20)
	var out []Line
	t := Department.Table
	add := func(ls []Line) { out = append(out, ls...) }
	add(fixedLines(t("summary"), map[string]Amount{"I01": b1 + b2 + b3 + b4 + p1 + p2, "I02": gf,
		"I06": other, "I07": carried, "E01": b1 + b2 + b3 + b4, "E02": p1 + other + p2 + gf, "E03": carried}))
	add(coded(t("income"), []leaf{
		{"2013801", "行政运行", []Amount{0, carried, b1}}, {"2013804", "市场主体管理", []Amount{0, 0, p1, 0, 0, 0, 0, other}},
		{"2013816", "食品安全监管", []Amount{0, 0, p2}}, {"2080505", "机关事业单位基本养老保险缴费支出", []Amount{0, 0, b2}},
		{"2101101", "行政单位医疗", []Amount{0, 0, b3}}, {"2120899", "其他国有土地使用权出让收入安排的支出", []Amount{0, 0, 0, gf}},
		{"2210201", "住房公积金", []Amount{0, 0, b4}}}))
	add(coded(t("expense"), []leaf{
		{"2013801", "行政运行", []Amount{0, b1}}, {"2013804", "市场主体管理", []Amount{0, 0, p1 + other}},
		{"2013816", "食品安全监管", []Amount{0, 0, p2}}, {"2080505", "机关事业单位基本养老保险缴费支出", []Amount{0, b2}},
		{"2101101", "行政单位医疗", []Amount{0, b3}}, {"2120899", "其他国有土地使用权出让收入安排的支出", []Amount{0, 0, gf}},
		{"2210201", "住房公积金", []Amount{0, b4}}}))
	add(fixedLines(t("fiscal"), map[string]Amount{"F01": b1 + b2 + b3 + b4 + p1 + p2, "F02": gf,
		"G01": b1 + b2 + b3 + b4 + p1 + p2, "G02": gf}))
	add(coded(t("gpb"), []leaf{
		{"2013801", "行政运行", []Amount{0, b1}}, {"2013804", "市场主体管理", []Amount{0, 0, p1}},
		{"2013816", "食品安全监管", []Amount{0, 0, p2}}, {"2080505", "机关事业单位基本养老保险缴费支出", []Amount{0, b2}},
		{"2101101", "行政单位医疗", []Amount{0, b3}}, {"2210201", "住房公积金", []Amount{0, b4}}}))
	basic := b1 + b2 + b3 + b4
	hospitality, cars, travel := k(10), k(30), k(8)
	pay := basic*72/100 - basic*72/100%100
	add(coded(t("gpbbasic"), []leaf{
		{"30101", "基本工资", []Amount{0, pay / 2}}, {"30102", "津贴补贴", []Amount{0, pay - pay/2}},
		{"30201", "办公费", []Amount{0, 0, basic - pay - hospitality - cars - travel}}, {"30211", "差旅费", []Amount{0, 0, travel}},
		{"30217", "公务接待费", []Amount{0, 0, hospitality}}, {"30231", "公务用车运行维护费", []Amount{0, 0, cars}}}))
	add(coded(t("gf"), []leaf{{"2120899", "其他国有土地使用权出让收入安排的支出", []Amount{0, 0, gf}}}))
	add(fixedLines(t("sangong"), map[string]Amount{"S01": travel, "S22": cars, "S03": hospitality}))
	return out
}

type leaf struct {
	code, name string
	amounts    []Amount // column 0 is summed from the rest
}

// classNames names the 类 and 款 the sample uses.
var classNames = map[string]string{
	"201": "一般公共服务支出", "20138": "市场监督管理事务", "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
	"210": "卫生健康支出", "21011": "行政事业单位医疗", "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出",
	"221": "住房保障支出", "22102": "住房改革支出", "301": "工资福利支出", "302": "商品和服务支出",
	"101": "税收收入", "10101": "增值税", "10106": "个人所得税", "103": "非税收入", "10304": "行政事业性收费收入",
	"20103": "政府办公厅（室）及相关机构事务", "205": "教育支出", "20502": "普通教育", "20808": "抚恤",
	"214": "交通运输支出", "21401": "公路水路运输", "501": "机关工资福利支出", "502": "机关商品和服务支出",
}

// coded builds a coded table from its leaves: row sums, parents, 合计.
func coded(t *Table, leaves []leaf) []Line {
	cols := len(t.Columns)
	rows := map[string][]Amount{TotalCode: make([]Amount, cols)}
	names := map[string]string{TotalCode: "合计"}
	for _, l := range leaves {
		amts := make([]Amount, cols)
		copy(amts, l.amounts)
		for j := 1; j < cols; j++ {
			amts[0] += amts[j]
		}
		for code := l.code; ; code = t.parent(code) {
			if rows[code] == nil {
				rows[code] = make([]Amount, cols)
				names[code] = classNames[code]
			}
			if code == l.code {
				names[code] = l.name
			}
			for j := range amts {
				rows[code][j] += amts[j]
			}
			if code == TotalCode {
				break
			}
		}
	}
	codes := make([]string, 0, len(rows))
	for c := range rows {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]Line, len(codes))
	for i, c := range codes {
		out[i] = Line{Table: t.Key, Seq: i, Code: c, Name: names[c], Amounts: rows[c]}
	}
	return out
}

// fixedLines fills a fixed table from its leaf values, summing totals.
func fixedLines(t *Table, v map[string]Amount) []Line {
	var sum func(code string) Amount
	sum = func(code string) Amount {
		r := t.fixedRow(code)
		if len(r.Of) == 0 {
			return v[code]
		}
		var s Amount
		for _, c := range r.Of {
			s += sum(c)
		}
		return s
	}
	out := make([]Line, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = Line{Table: t.Key, Seq: i, Code: r.Code, Name: r.Name, Amounts: []Amount{sum(r.Code)}}
	}
	return out
}
