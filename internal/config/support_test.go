package config_test

import (
	"strings"
	"testing"

	"openhall/internal/config"
)

func TestSupportSettings(t *testing.T) {
	ok := config.Default()
	ok.PublicURL, ok.CertKEK = "https://zw.example.gov.cn/", "00112233445566778899AABBCCDDEEFF"
	ok.SMTPHost, ok.SMTPFrom, ok.SMTPUser, ok.SMTPPassword = "smtp.example.gov.cn", "阳光政务大厅 <noreply@example.gov.cn>", "u", "p"
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
	for _, tc := range []struct {
		edit func(c *config.Config)
		want string
	}{
		{func(c *config.Config) { c.PublicURL = "zw.example.gov.cn" }, "--public-url"},
		{func(c *config.Config) { c.PublicURL = "https://zw.example.gov.cn/?a=1" }, "--public-url"},
		{func(c *config.Config) { c.CertKEK = "0011" }, "--cert-kek"},
		{func(c *config.Config) { c.CertKEK = strings.Repeat("g", 32) }, "--cert-kek"},
		{func(c *config.Config) { c.SMTPPort = 0 }, "--smtp-port"},
		{func(c *config.Config) { c.SMTPFrom = "" }, "--smtp-from"},
		{func(c *config.Config) { c.SMTPPassword = "" }, "--smtp-user 与 --smtp-password"},
	} {
		c := ok
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error naming %s, got %v", tc.want, err)
		}
	}
	plain := config.Default()
	plain.SMTPFrom = "" // no SMTP host: email is off and needs no sender
	if err := plain.Validate(); err != nil {
		t.Fatal(err)
	}
}
