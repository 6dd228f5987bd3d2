package pii

import (
	"strings"
)

// CheckEmail reports whether s is an e-mail address a message can be sent
// to on the Internet: one @, a local part of at most 64 printable ASCII
// characters without spaces, quotes or brackets and without leading,
// trailing or doubled dots, and a domain of at least two dot-separated
// labels (letters, digits, hyphens; no label starting or ending with a
// hyphen) whose last label is at least two letters. Quoted local parts,
// IP-address domains and display names ("张三 <a@b.cn>"), which
// net/mail accepts, are refused: nobody types them into a form. The error
// is an *apperr.Error with Code Invalid naming the first problem.
func CheckEmail(s string) error {
	s = strings.TrimSpace(s)
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case s == "":
		return invalid("电子邮箱不能为空")
	case len(s) > 254:
		return invalid("电子邮箱过长")
	case !ok || strings.Contains(domain, "@"):
		return invalid("电子邮箱应含且只含一个 @，如 name@example.cn")
	case local == "" || len(local) > 64:
		return invalid("电子邮箱 @ 前的部分应为 1–64 个字符")
	case !localPart(local):
		return invalid("电子邮箱 @ 前的部分只能由字母、数字和 . _ - + 组成，且不能以点开头或结尾")
	}
	return checkDomain(domain)
}

func localPart(s string) bool {
	if s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0) {
			return false
		}
	}
	return true
}

func checkDomain(d string) error {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return invalid("电子邮箱的域名不完整，应如 example.cn")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return invalid("电子邮箱的域名“%s”格式不正确", d)
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return invalid("电子邮箱的域名“%s”含有非法字符", d)
			}
		}
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if !('a' <= tld[i]|0x20 && tld[i]|0x20 <= 'z') {
			return invalid("电子邮箱的域名“%s”格式不正确", d)
		}
	}
	if len(tld) < 2 {
		return invalid("电子邮箱的域名“%s”格式不正确", d)
	}
	return nil
}
