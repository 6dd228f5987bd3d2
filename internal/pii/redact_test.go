package pii

import (
	"strings"
	"testing"
)

func TestRedactMixedChineseText(t *testing.T) {
	in := "申请人张三（身份证号11010519491231002X）于 2024-05-31 13:45 提交申请，联系电话+86 138 1234 5678，" +
		"备用 0086-13912345678，单位统一社会信用代码91350100M000100Y43，流水号12345678901234567890。"
	want := "申请人张三（身份证号110105********002X）于 2024-05-31 13:45 提交申请，联系电话+86 138 **** 5678，" +
		"备用 0086-139****5678，单位统一社会信用代码913501********0Y43，流水号12345678901234567890。"
	if got := Redact(in); got != want {
		t.Fatalf("Redact:\n got %s\nwant %s", got, want)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		// ID numbers, by shape: the check character is not verified.
		{"id=11010519491231002x;", "id=110105********002x;"},
		{"id=110105194912310023", "id=110105********0023"},
		{"1101051949123100231", "1101051949123100231"}, // 19 digits
		{"11010519491231002", "11010519491231002"},     // 17 digits
		{"110105194912310021X", "110105********0021X"}, // 18 digits, then X
		{"11010519491231002XY", "110105********002XY"}, // letters do not extend a run of digits
		// credit codes: exactly 18 letters and digits that pass the check.
		{"uscc:91350100m000100y43", "uscc:913501********0y43"},
		{"91350100M000100Y44", "91350100M000100Y44"},   // bad check character
		{"X91350100M000100Y43", "X91350100M000100Y43"}, // part of a longer token
		// mobile numbers
		{"13812345678", "138****5678"},
		{"电话：138-1234-5678。", "电话：138-****-5678。"},
		{"(+86)13812345678", "(+86)138****5678"},
		{"+8613812345678", "+86138****5678"},
		{"008613812345678", "0086138****5678"},
		{"tel13812345678ext", "tel138****5678ext"},
		{"12345678901234567890", "12345678901234567890"}, // 20 digits: not a phone
		{"138123456789", "138123456789"},                 // 12 digits
		{"1381234567", "1381234567"},                     // 10 digits
		{"12812345678", "12812345678"},                   // second digit 2
		{"13812345678.5", "138****5678.5"},
		// text that merely has digits
		{"版本 1.2.3，耗时 13 ms，时间 2024-01-15 13:45:12", "版本 1.2.3，耗时 13 ms，时间 2024-01-15 13:45:12"},
		{"uuid 550e8400-e29b-41d4-a716-446655440000", "uuid 550e8400-e29b-41d4-a716-446655440000"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Masking keeps the first 3 and last 4 digits of a number, which can join
// neighbouring digit groups into a new number; Redact masks that too.
func TestRedactMasksWhatMaskingExposes(t *testing.T) {
	for in, want := range map[string]string{
		"13 812 345 13812345678":   "13 8** **5 138****5678",
		"13812341381 234 5678":     "138****138* *** 5678",
		"13811 110105194912310021": "138** **0105********0021",
	} {
		got := Redact(in)
		if got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if sub := acceptedSubstring(got); sub != "" {
			t.Errorf("Redact(%q) = %q still holds %q", in, got, sub)
		}
	}
}

// redactChain builds text in which each 8-digit group, joined with the head
// 138 that masking the number after it leaves, forms another number: Redact
// needs one more pass per layer.
func redactChain(layers int) string {
	return strings.Repeat("13812345 ", layers) + "13 812 345 13812345678"
}

func TestRedactFollowsChains(t *testing.T) {
	got := Redact(redactChain(3))
	if want := "138****5 138****5 138****5 13 8** **5 138****5678"; got != want {
		t.Fatalf("Redact = %q, want %q", got, want)
	}
}

func TestRedactGivesUpOnLongChains(t *testing.T) {
	in := redactChain(3 * maxRedactPasses)
	got := Redact(in)
	if got != strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '*'
		}
		return r
	}, in) {
		t.Fatalf("Redact(%q) = %q, want every digit masked", in, got)
	}
	checkRedact(t, in)
}

func TestRedactInvariants(t *testing.T) {
	for _, in := range redactSeeds {
		checkRedact(t, in)
	}
}

func TestRedactDoesNotAllocateOnCleanText(t *testing.T) {
	line := strings.Repeat("请求 GET /api/v1/cases/12345 耗时 38ms 状态 200；", 4)
	if n := testing.AllocsPerRun(100, func() { _ = Redact(line) }); n != 0 {
		t.Errorf("Redact of clean text allocates %v times", n)
	}
}

// redactSeeds are shared with FuzzRedact.
var redactSeeds = []string{
	"",
	"申请人身份证号11010519491231002X，手机+86 138 1234 5678。",
	"流水号12345678901234567890，金额 13812345678.00 元",
	"13 812 345 13812345678",
	"13812341381 234 5678",
	"8 6 1 3 8 1 2 3 4 5 6 7 8",
	"--13812345678--0086-139-1234-5678",
	"91350100M000100Y43 91350100m000100y43",
	"138 91350100M000100Y43",
	"11010519491231002X11010519491231002X",
	"\xff13812345678\xfe",
	"+86+8613812345678",
}

// checkRedact asserts Redact's documented guarantees for one input.
func checkRedact(t *testing.T, in string) {
	t.Helper()
	out := Redact(in)
	if len(out) != len(in) {
		t.Fatalf("Redact(%q) = %q: length changed", in, out)
	}
	for i := range len(in) {
		if in[i] != out[i] && (out[i] != '*' || !isAlnum(in[i])) {
			t.Fatalf("Redact(%q) = %q: byte %d changed from %q to %q", in, out, i, in[i], out[i])
		}
	}
	if sub := acceptedSubstring(out); sub != "" {
		t.Fatalf("Redact(%q) = %q still holds %q", in, out, sub)
	}
	if again := Redact(out); again != out {
		t.Fatalf("Redact is not idempotent: %q → %q → %q", in, out, again)
	}
}
