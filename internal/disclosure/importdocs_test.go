package disclosure

import "testing"

// TestParseLawFile: the date comes from the file name, else from the
// header's promulgation lines; 文号 in every common form from the header.
func TestParseLawFile(t *testing.T) {
	cases := []struct {
		name, head, date, no string
	}{
		{"行政法规/政府信息公开条例(2019-04-03).md", "2007年4月5日 中华人民共和国国务院令第492号公布\n\n2019年4月3日 中华人民共和国国务院令第711号修订\n\n2019年5月15日 施行",
			"2019-04-03", "国务院令第711号"},
		{"司法解释/关于审理行政协议案件若干问题的规定.md", "2019年11月12日 最高人民法院审判委员会第1781次会议通过\n\n法释〔2019〕17号\n\n2020年1月1日 施行",
			"2019-11-12", "法释〔2019〕17号"},
		{"规范性文件/关于深入推进审批服务便民化的指导意见.md", "2018年5月23日 国办发[2018]45号 发布", "2018-05-23", "国办发〔2018〕45号"},
		{"公告/某公告.md", "2020年3月1日 国家税务总局公告2020年第4号", "2020-03-01", "国家税务总局公告2020年第4号"},
		{"刑法/刑法修正案（十一）.md", "2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议通过", "2020-12-26", ""},
		{"民法典/总则.md", "2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n2021年1月1日 施行", "2020-05-28", ""},
	}
	for _, c := range cases {
		lf, err := ParseLawFile(c.name, []byte("# 标题\n\n"+c.head+"\n\n<!-- INFO END -->\n\n第一条 正文。"))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if lf.Date.String() != c.date || lf.docNo() != c.no {
			t.Errorf("%s: date %s, 文号 %q; want %s, %q", c.name, lf.Date, lf.docNo(), c.date, c.no)
		}
	}
	if _, err := ParseLawFile("其他/攻略.md", []byte("# 攻略\n\n该攻略出自网络\n\n<!-- INFO END -->\n\n正文")); err == nil {
		t.Fatal("a file without any date must be skipped with a reason")
	}
	if _, err := ParseLawFile("x.md", []byte("---\nbookCollapseSection: true\n---")); err == nil {
		t.Fatal("a file without the marker must be skipped with a reason")
	}
}
