package pii

import "strings"

// NormalizeMobile trims surrounding white space, removes every space and
// hyphen, then removes a country prefix: "+86" or "0086" always, "86" only
// when 11 characters remain after it (a bare "86…" of another length is left
// alone). It does not validate.
func NormalizeMobile(s string) string {
	s = dropSeps(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "+86"):
		return s[3:]
	case strings.HasPrefix(s, "0086"):
		return s[4:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		return s[2:]
	}
	return s
}

// dropSeps removes spaces and hyphens; it allocates only when there are some.
func dropSeps(s string) string {
	if !strings.ContainsAny(s, " -") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isSep(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// CheckMobile reports whether s, once normalised, is a mainland mobile
// number: 11 digits, the first 1 and the second 3–9. The error is an
// *apperr.Error with Code Invalid and a message naming the first problem.
func CheckMobile(s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid("手机号码不能为空")
	}
	m := NormalizeMobile(s)
	for _, r := range m {
		if r < '0' || r > '9' {
			return invalid("手机号码含有非法字符“%s”", showRune(r))
		}
	}
	switch {
	case len(m) != 11:
		return invalid("手机号码应为 11 位数字，当前为 %d 位", len(m))
	case m[0] != '1':
		return invalid("手机号码应以 1 开头")
	case m[1] < '3':
		return invalid("手机号码第 2 位应为 3–9，实际为 %c", m[1])
	}
	return nil
}

// isMobileBody reports whether t is 11 digits of the form 1[3-9]xxxxxxxxx.
func isMobileBody[T text](t T) bool {
	if len(t) != 11 || t[0] != '1' || t[1] < '3' || t[1] > '9' {
		return false
	}
	for i := 2; i < 11; i++ {
		if !isDigit(t[i]) {
			return false
		}
	}
	return true
}

// mobileOffset returns where the 11-digit number starts in a string of
// digits that NormalizeMobile and CheckMobile accept (0, or 2 after "86", or
// 4 after "0086"), or -1 if they do not accept it. "+86" reaches here as "86"
// followed by 11 digits, since '+' is not a digit.
func mobileOffset[T text](d T) int {
	off := -1
	switch {
	case len(d) == 11:
		off = 0
	case len(d) == 13 && d[0] == '8' && d[1] == '6':
		off = 2
	case len(d) == 15 && d[0] == '0' && d[1] == '0' && d[2] == '8' && d[3] == '6':
		off = 4
	}
	if off < 0 || !isMobileBody(d[off:]) {
		return -1
	}
	return off
}
