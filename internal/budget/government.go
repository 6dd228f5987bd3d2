package budget

// The table set of a government's own budget and final accounts (本级政府
// 预算、决算), which 预算法 (2018) Art 14 ¶1 has the finance department
// publish within 20 days after the people's congress (or its standing
// committee) approves them, tables included. What the set must show:
//   - 一般公共预算支出 by functional class down to 项, 基本支出 by economic
//     class down to 款 (预算法 Art 46; 预算法实施条例 (2020) Art 6 reads the
//     same detail into what is published);
//   - revenue by 收入分类科目 (预算法 Art 27 lists its kinds);
//   - 一般性转移支付 by region (预算法实施条例 Art 6 ¶2);
//   - 政府性基金预算 and 国有资本经营预算 as their own accounts (预算法
//     Art 5, 9, 10);
//   - the "三公" spending of the government's own departments.
// The layout of each table follows the common local reference format
// (地方预决算公开操作规程); its exact rows vary by province and the
// reference material does not pin them down (unverified). 专项转移支付 by
// region and project, 社会保险基金预算 and the debt tables (限额和余额) are
// described in the explanation rather than in tables of this set.

// Government is the set of a government's own 预算 and 决算.
var Government = &Schema{Name: "本级政府预决算公开模板",
	Summary:    "含一般公共预算收支总表、收入表（收入分类科目）、支出表（功能分类到项）、基本支出表（经济分类到款）、转移支付表及一般性转移支付分地区表、政府性基金和国有资本经营预算收支表、本级“三公”经费支出表。",
	Tables:     governmentTables,
	Balances:   []Balance{{"gsummary", "R10", "P10"}, {"gfund", "FR0", "FP0"}, {"gsoe", "OR0", "OP0"}},
	Agreements: governmentAgreements,
}

var governmentTables = []Table{
	{Key: "gsummary", Name: "一般公共预算收支总表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"R00", "一般公共预算收入", []string{"R01", "R02"}}, {"R01", "其中：税收收入", nil}, {"R02", "　　　非税收入", nil},
		{"R03", "转移性收入（上级补助、下级上解）", nil}, {"R04", "债务收入", nil}, {"R05", "调入资金", nil},
		{"R06", "动用预算稳定调节基金", nil}, {"R07", "上年结转结余", nil},
		{"R10", "收入总计", []string{"R00", "R03", "R04", "R05", "R06", "R07"}},
		{"P01", "一般公共预算支出", nil}, {"P02", "转移性支出（上解上级、补助下级）", nil}, {"P03", "债务还本支出", nil},
		{"P04", "安排预算稳定调节基金", nil}, {"P05", "结转下年", nil},
		{"P10", "支出总计", []string{"P01", "P02", "P03", "P04", "P05"}},
	}},
	{Key: "grevenue", Name: "一般公共预算收入表", Coding: Revenue, Columns: []string{"金额"}},
	{Key: "gexpense", Name: "一般公共预算支出表（本级）", Coding: Functional, RowSum: true, Columns: []string{"合计", "基本支出", "项目支出"}},
	{Key: "gbasic", Name: "一般公共预算基本支出表（本级）", Coding: Economic, Columns: []string{"金额"}},
	{Key: "gtransfer", Name: "一般公共预算转移支付表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"T00", "对下级转移支付合计", []string{"T01", "T02", "T03"}},
		{"T01", "税收返还", nil}, {"T02", "一般性转移支付", nil}, {"T03", "专项转移支付", nil},
	}},
	{Key: "gregion", Name: "一般性转移支付分地区表", Coding: Region, Columns: []string{"金额"}},
	{Key: "gfund", Name: "政府性基金预算收支表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"FR1", "政府性基金收入", nil}, {"FR2", "上级补助收入", nil}, {"FR3", "债务（专项债券）收入", nil}, {"FR4", "上年结转", nil},
		{"FR0", "收入总计", []string{"FR1", "FR2", "FR3", "FR4"}},
		{"FP1", "政府性基金支出", nil}, {"FP2", "调出资金", nil}, {"FP3", "债务还本支出", nil}, {"FP4", "结转下年", nil},
		{"FP0", "支出总计", []string{"FP1", "FP2", "FP3", "FP4"}},
	}},
	{Key: "gfundexp", Name: "政府性基金预算支出表", Coding: Functional, Columns: []string{"金额"}},
	{Key: "gsoe", Name: "国有资本经营预算收支表", Columns: []string{"金额"}, Coding: Fixed, Rows: []FixedRow{
		{"OR1", "国有资本经营收入", nil}, {"OR2", "上年结转", nil},
		{"OR0", "收入总计", []string{"OR1", "OR2"}},
		{"OP1", "国有资本经营支出", nil}, {"OP2", "调出资金（调入一般公共预算）", nil}, {"OP3", "结转下年", nil},
		{"OP0", "支出总计", []string{"OP1", "OP2", "OP3"}},
	}},
	sanGongTable,
}

var governmentAgreements = []Agreement{
	{"grevenue", "", 0, "gsummary", "R00", 0},
	{"grevenue", "101", 0, "gsummary", "R01", 0},
	{"grevenue", "103", 0, "gsummary", "R02", 0},
	{"gexpense", "", 0, "gsummary", "P01", 0},
	{"gbasic", "", 0, "gexpense", "", 1},
	{"gregion", "", 0, "gtransfer", "T02", 0},
	{"gfundexp", "", 0, "gfund", "FP1", 0},
}

// SampleGovernment returns a balanced government set for a small county,
// every amount scaled by percent/100: demonstration data and the tests'
// starting point. Leaves are given; parents and totals are summed.
func SampleGovernment(percent int64) []Line {
	k := func(wan int64) Amount { return Amount(wan * 100 * percent / 100) }
	vat, income, fees := k(52000), k(8000), k(15000)
	admin, schools, care, roads := k(21000), k(38000), k(16000), k(9000)
	pay, office := admin*60/100-admin*60/100%100, k(3000)
	tr, general, special := k(4000), k(30000), k(6000)
	debt, fundIn, fundOut := k(5000), k(20000), k(18000)
	soeIn, soeOut := k(800), k(500)
	gs := Government
	revenue := vat + income + fees
	expense := admin + schools + care + roads
	transferIn := expense + tr + general + special + debt - revenue - (fundIn - fundOut - debt/5) - (soeIn - soeOut)
	var out []Line
	add := func(ls []Line) { out = append(out, ls...) }
	add(fixedLines(gs.Table("gsummary"), map[string]Amount{"R01": vat + income, "R02": fees, "R03": transferIn,
		"R05": (fundIn - fundOut - debt/5) + (soeIn - soeOut), "P01": expense, "P02": tr + general + special, "P03": debt}))
	add(coded(gs.Table("grevenue"), []leaf{{"1010101", "国内增值税", []Amount{vat}}, {"1010601", "个人所得税", []Amount{income}},
		{"1030401", "行政性收费收入", []Amount{fees}}}))
	add(coded(gs.Table("gexpense"), []leaf{{"2010301", "行政运行", []Amount{0, pay, 0}},
		{"2010302", "一般行政管理事务", []Amount{0, 0, admin - pay}}, {"2050202", "小学教育", []Amount{0, office, schools - office}},
		{"2080801", "死亡抚恤", []Amount{0, 0, care}}, {"2140104", "公路建设", []Amount{0, 0, roads}}}))
	add(coded(gs.Table("gbasic"), []leaf{{"50101", "工资奖金津补贴", []Amount{pay}}, {"50201", "办公经费", []Amount{office}}}))
	add(fixedLines(gs.Table("gtransfer"), map[string]Amount{"T01": tr, "T02": general, "T03": special}))
	add(coded(gs.Table("gregion"), []leaf{{"340102", "甲镇", []Amount{general * 3 / 5}}, {"340103", "乙乡", []Amount{general - general*3/5}}}))
	add(fixedLines(gs.Table("gfund"), map[string]Amount{"FR1": fundIn, "FP1": fundOut, "FP2": fundIn - fundOut - debt/5, "FP3": debt / 5}))
	add(coded(gs.Table("gfundexp"), []leaf{{"2120801", "征地和拆迁补偿支出", []Amount{fundOut}}}))
	add(fixedLines(gs.Table("gsoe"), map[string]Amount{"OR1": soeIn, "OP1": soeOut, "OP2": soeIn - soeOut}))
	add(fixedLines(gs.Table("sangong"), map[string]Amount{"S01": k(60), "S21": k(80), "S22": k(300), "S03": k(150)}))
	return out
}
