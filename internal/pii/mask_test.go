package pii

import (
	"testing"
	"unicode/utf8"
)

func TestMaskIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		"110105194912311234":   "110105********1234",
		"11010519491231002X":   "110105********002X",
		" 11010519491231002x ": " 110105********002x ",
		"11010519491231002":    "1***************2", // 17: first and last only
		"12345":                "1***5",
		"1234":                 "1**4",
		"123":                  "***",
		"1":                    "*",
		"":                     "",
		"张三李四王五":               "张****五",
		"\xff\xfe12345":        "\xff*****5",
	} {
		if got := MaskIDNumber(in); got != want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskCreditCode(t *testing.T) {
	for in, want := range map[string]string{
		"91350100M000100Y43": "913501********0Y43",
		"91350100M000100Y4":  "9***************4",
		"ab":                 "**",
	} {
		if got := MaskCreditCode(in); got != want {
			t.Errorf("MaskCreditCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskMobile(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":         "138****5678",
		"+86 138-1234-5678":   "+86 138-****-5678",
		"8613812345678":       "86138****5678",
		"0086 138 1234 5678 ": "0086 138 **** 5678 ",
		"1381234567":          "1********7",
		"12812345678":         "1*********8",
		"123":                 "***",
		"":                    "",
	} {
		if got := MaskMobile(in); got != want {
			t.Errorf("MaskMobile(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":        "张*",
		"欧阳娜娜":      "欧***",
		"阿依古丽·买买提":  "阿*******",
		"Alice":     "A****",
		"Bob Smith": "B********",
		"张":         "*",
		" 李四 ":      " 李* ",
		"":          "",
		"  ":        "  ",
	} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskKeepsRuneCount(t *testing.T) {
	masks := map[string]func(string) string{"id": MaskIDNumber, "credit": MaskCreditCode, "mobile": MaskMobile, "name": MaskName}
	for _, in := range []string{"", "x", "张三", "11010519491231002X", "+86 138 1234 5678", "91350100M000100Y43", "\xff\xff", "a\u3000b", "𠮷野家"} {
		for name, mask := range masks {
			if got := mask(in); utf8.RuneCountInString(got) != utf8.RuneCountInString(in) {
				t.Errorf("%s(%q) = %q: rune count changed", name, in, got)
			}
		}
	}
}
