package pii

import "testing"

func TestCheckEmail(t *testing.T) {
	for _, ok := range []string{"zhang.san@example.cn", "a+b@mail.zj.gov.cn", "x_y-z@163.com", " li@qq.com "} {
		if err := CheckEmail(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "zhangsan", "a@b", "a@@b.cn", "a@b@c.cn", ".a@b.cn", "a.@b.cn", "a..b@c.cn",
		"张三@example.cn", "a b@c.cn", "a@-b.cn", "a@b-.cn", "a@b..cn", "a@b.c", "a@b.123", "张三 <a@b.cn>", `"a"@b.cn`, "a@[1.2.3.4]"} {
		if err := CheckEmail(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
