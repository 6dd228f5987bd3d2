package pii

import (
	"testing"
	"time"
)

func TestIDWeightsMatchStandard(t *testing.T) {
	for i, w := range idWeights {
		p := 1
		for k := 0; k < 17-i; k++ {
			p = p * 2 % 11
		}
		if w != p {
			t.Errorf("weight %d = %d, want 2^%d mod 11 = %d", i+1, w, 17-i, p)
		}
	}
}

func TestStandardExampleID(t *testing.T) {
	const example = "11010519491231002X" // GB 11643-1999 example
	if c := refIDCheck(example[:17]); c != 'X' {
		t.Fatalf("reference check char of the GB 11643 example = %c, want X", c)
	}
	if err := CheckIDNumber(example); err != nil {
		t.Fatalf("CheckIDNumber(%s) = %v", example, err)
	}
}

func TestCheckIDNumberValid(t *testing.T) {
	setNow(t, time.Date(2024, 6, 1, 12, 0, 0, 0, chinaZone))
	for _, s := range []string{
		"11010519491231002X",
		"11010519491231002x",         // lower-case x
		" 11010519491231002X\u3000",  // surrounding spaces, ideographic too
		validID("44030419900101123"), // 广东深圳
		validID("65010220000229004"), // leap day
		validID("11010519000101003"), // the earliest date allowed
		validID("81000019851212001"), // 香港居民居住证
		validID("82000020010707002"), // 澳门居民居住证
		validID("83000019990909002"), // 台湾居民居住证
		validID("71000020240601001"), // born today
		validID("54010219800515007"), // 西藏
		validID("15010219760101001"), // 内蒙古
	} {
		if err := CheckIDNumber(s); err != nil {
			t.Errorf("CheckIDNumber(%q) = %v", s, err)
		}
	}
}

func TestCheckIDNumberInvalid(t *testing.T) {
	setNow(t, time.Date(2024, 6, 1, 12, 0, 0, 0, chinaZone))
	tests := []struct{ in, msg string }{
		{"", "身份证号码不能为空"},
		{"   ", "身份证号码不能为空"},
		{"11010519491231002", "身份证号码应为 18 位，当前为 17 位"},
		{"11010519491231002X1", "身份证号码应为 18 位，当前为 19 位"},
		{"110105491231002", "身份证号码应为 18 位，当前为 15 位"},
		{"11010519491231002Y", "身份证号码含有非法字符"},
		{"1101051949123100-2", "身份证号码含有非法字符"},
		{"11010519491231002号", "身份证号码含有非法字符"},
		{"1101051949123100X2", "身份证号码只有最后一位（校验位）可以是 X"},
		{validID("99010519491231002"), "身份证号码前两位 99 不是有效的省级行政区划代码"},
		{validID("00010519491231002"), "身份证号码前两位 00 不是有效的省级行政区划代码"},
		{validID("16010519491231002"), "身份证号码前两位 16 不是有效的省级行政区划代码"},
		{validID("72010519491231002"), "身份证号码前两位 72 不是有效的省级行政区划代码"},
		{validID("84010519491231002"), "身份证号码前两位 84 不是有效的省级行政区划代码"},
		{validID("11010520230230002"), "身份证号码第 7–14 位出生日期 20230230 不是有效日期"},
		{validID("11010519000229002"), "身份证号码第 7–14 位出生日期 19000229 不是有效日期"},
		{validID("11010519491301002"), "身份证号码第 7–14 位出生日期 19491301 不是有效日期"},
		{validID("11010519491200002"), "身份证号码第 7–14 位出生日期 19491200 不是有效日期"},
		{validID("11010518991231002"), "身份证号码第 7–14 位出生日期 18991231 早于 1900 年 1 月 1 日"},
		{validID("11010520240602002"), "身份证号码第 7–14 位出生日期 20240602 晚于今天"},
		{"110105194912310023", "身份证号码校验位应为 X，实际为 3"},
		{"11010519491231002x"[:17] + "0", "身份证号码校验位应为 X，实际为 0"},
		{validID("44030419900101123")[:17] + "X", "身份证号码校验位应为 " + string(refIDCheck("44030419900101123")) + "，实际为 X"},
	}
	for _, tt := range tests {
		wantInvalid(t, CheckIDNumber(tt.in), tt.msg)
	}
}

func TestBirthDateUsesChinaToday(t *testing.T) {
	// 2024-06-01 16:30 UTC is already 2024-06-02 in China.
	setNow(t, time.Date(2024, 6, 1, 16, 30, 0, 0, time.UTC))
	if err := CheckIDNumber(validID("11010520240602002")); err != nil {
		t.Fatalf("born today in China: %v", err)
	}
	wantInvalid(t, CheckIDNumber(validID("11010520240603002")), "身份证号码第 7–14 位出生日期 20240603 晚于今天")
}

func TestNormalizeIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		"11010519491231002x":     "11010519491231002X",
		"  11010519491231002X\n": "11010519491231002X",
		"abc":                    "ABC",
		"":                       "",
		"１１０":                    "１１０", // full-width digits are not folded
	} {
		if got := NormalizeIDNumber(in); got != want {
			t.Errorf("NormalizeIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIDCheckChar(t *testing.T) {
	for _, first17 := range []string{"11010519491231002", "44030419900101123", "00000000000000000", "99999999999999999", "12345678901234567"} {
		c, err := IDCheckChar(first17)
		if err != nil || c != refIDCheck(first17) {
			t.Errorf("IDCheckChar(%s) = %c, %v; want %c", first17, c, err, refIDCheck(first17))
		}
	}
	wantInvalid(t, errOf(IDCheckChar("1101051949123100")), "身份证号码前 17 位应为 17 位数字，当前为 16 位")
	wantInvalid(t, errOf(IDCheckChar("1101051949123100a")), "身份证号码前 17 位只能是数字")
}

func errOf[T any](_ T, err error) error { return err }

func TestBirthDateAndGender(t *testing.T) {
	tests := []struct {
		id     string
		birth  time.Time
		gender string
	}{
		{"11010519491231002X", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), "女"},
		{validID("44030419900101123"), time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), "男"},
		{validID("65010220000229004"), time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), "女"},
		{validID("81000019851212001"), time.Date(1985, 12, 12, 0, 0, 0, 0, time.UTC), "男"},
	}
	for _, tt := range tests {
		b, err := BirthDateFromID(tt.id)
		if err != nil || !b.Equal(tt.birth) || b.Location() != time.UTC {
			t.Errorf("BirthDateFromID(%s) = %v, %v; want %v", tt.id, b, err, tt.birth)
		}
		g, err := GenderFromID(tt.id)
		if err != nil || g != tt.gender {
			t.Errorf("GenderFromID(%s) = %q, %v; want %q", tt.id, g, err, tt.gender)
		}
	}
	if _, err := BirthDateFromID("110105194912310023"); err == nil {
		t.Error("BirthDateFromID accepted a bad check character")
	}
	if _, err := GenderFromID("110105194912310023"); err == nil {
		t.Error("GenderFromID accepted a bad check character")
	}
}

func TestCheckIDNumberDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = CheckIDNumber("11010519491231002X") }); n != 0 {
		t.Errorf("CheckIDNumber of a valid number allocates %v times", n)
	}
}
