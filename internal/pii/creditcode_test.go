package pii

import (
	"strings"
	"testing"
)

func TestCreditWeightsMatchStandard(t *testing.T) {
	w := 1
	for i, got := range creditWeights {
		if got != w {
			t.Errorf("weight %d = %d, want 3^%d mod 31 = %d", i+1, got, i, w)
		}
		w = w * 3 % 31
	}
	if len(creditAlphabet) != 31 || strings.ContainsAny(creditAlphabet, "IOZSV") {
		t.Errorf("alphabet %q", creditAlphabet)
	}
}

func TestCommonlyCitedCreditCode(t *testing.T) {
	const example = "91350100M000100Y43"
	if c := refCreditCheck(example[:17]); c != '3' {
		t.Fatalf("reference check char of %s = %c, want 3", example, c)
	}
	if err := CheckCreditCode(example); err != nil {
		t.Fatalf("CheckCreditCode(%s) = %v", example, err)
	}
}

// creditEndingIn0 returns a valid code whose check value is 31, written 0.
func creditEndingIn0(t *testing.T) string {
	for _, c := range creditAlphabet {
		first17 := "91110108MA01C2B3" + string(c)
		if refCreditCheck(first17) == '0' {
			return first17 + "0"
		}
	}
	t.Fatal("no candidate ends in 0")
	return ""
}

func TestCheckCreditCodeValid(t *testing.T) {
	for _, s := range []string{
		"91350100M000100Y43",
		"91350100m000100y43",    // lower case
		"\t91350100M000100Y43 ", // surrounding space
		validCredit("91110108MA01C2B3X"),
		validCredit("11100000000013127"), // 机构编制
		validCredit("52440300MJL123456"), // 民政
		validCredit("Y1440300000000000"), // 其他
		validCredit("A1310000123456789"), // other registries' codes in position 1
		validCredit("93100000000000000"), // all digits
		creditEndingIn0(t),
	} {
		if err := CheckCreditCode(s); err != nil {
			t.Errorf("CheckCreditCode(%q) = %v", s, err)
		}
	}
}

func TestCheckCreditCodeInvalid(t *testing.T) {
	const bad = "（只能是数字或除 I、O、S、V、Z 以外的大写字母）"
	tests := []struct{ in, msg string }{
		{"", "统一社会信用代码不能为空"},
		{"91350100M000100Y4", "统一社会信用代码应为 18 位，当前为 17 位"},
		{"91350100M000100Y433", "统一社会信用代码应为 18 位，当前为 19 位"},
		{"91A50100M000100Y43", "统一社会信用代码第 3 位应为数字（第 3–8 位是行政区划码），实际为“A”"},
		{"913501O0M000100Y43", "统一社会信用代码第 7 位应为数字（第 3–8 位是行政区划码），实际为“O”"},
		{"91350100I000100Y43", "统一社会信用代码第 9 位“I”不是有效字符" + bad},
		{"O1350100M000100Y43", "统一社会信用代码第 1 位“O”不是有效字符" + bad},
		{"9S350100M000100Y43", "统一社会信用代码第 2 位“S”不是有效字符" + bad},
		{"91350100M000100YZ3", "统一社会信用代码第 17 位“Z”不是有效字符" + bad},
		{"91350100M000100Y4V", "统一社会信用代码第 18 位“V”不是有效字符" + bad},
		{"91350100M0001号0Y43", "统一社会信用代码第 14 位“号”不是有效字符" + bad},
		{"91350100M00 100Y43", "统一社会信用代码第 12 位“U+0020”不是有效字符" + bad},
		{"91350100M000100Y44", "统一社会信用代码校验位应为 3，实际为 4"},
		{"91350100M000100Y4y", "统一社会信用代码校验位应为 3，实际为 Y"},
	}
	for _, tt := range tests {
		wantInvalid(t, CheckCreditCode(tt.in), tt.msg)
	}
}

func TestNormalizeCreditCode(t *testing.T) {
	if got := NormalizeCreditCode(" 91350100m000100y43\n"); got != "91350100M000100Y43" {
		t.Errorf("NormalizeCreditCode = %q", got)
	}
}

func TestCreditCheckChar(t *testing.T) {
	for _, first17 := range []string{"91350100M000100Y4", "91110108MA01C2B3X", "00000000000000000", "YYYYYYYYYYYYYYYYY"} {
		c, err := CreditCheckChar(first17)
		if err != nil || c != refCreditCheck(first17) {
			t.Errorf("CreditCheckChar(%s) = %c, %v; want %c", first17, c, err, refCreditCheck(first17))
		}
	}
	if c, err := CreditCheckChar("91350100m000100y4"); err != nil || c != '3' {
		t.Errorf("CreditCheckChar(lower case) = %c, %v", c, err)
	}
	wantInvalid(t, errOf(CreditCheckChar("91350100M000100Y")), "统一社会信用代码前 17 位应为 17 个字符，当前为 16 个")
	wantInvalid(t, errOf(CreditCheckChar("91350100M000100I4")), "统一社会信用代码前 17 位第 16 位不是有效字符")
}

func TestCreditValidAgreesWithCheck(t *testing.T) {
	for _, s := range []string{"91350100M000100Y43", "91350100m000100y43", "91350100M000100Y44", "91A50100M000100Y43", validCredit("91110108MA01C2B3X")} {
		if got, want := creditValid(s), CheckCreditCode(s) == nil; got != want {
			t.Errorf("creditValid(%s) = %v, CheckCreditCode accepts: %v", s, got, want)
		}
	}
}
