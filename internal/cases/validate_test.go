package cases

import (
	"encoding/json"
	"testing"

	"openhall/internal/apperr"
)

// TestApplicationRefusals: what an application may not carry is refused
// naming the field: a control character in a form value, a file for a
// material shown at the window, a decision that is neither of the two, an
// unknown command.
func TestApplicationRefusals(t *testing.T) {
	p := twoDepartments()
	p.Fields = []Field{{Name: "summary", Label: "申请事项", Type: FieldText, Max: 200}}
	file := func(code string) MaterialFile { return MaterialFile{Code: code, FileName: code + ".pdf", SHA256: "ab"} }
	for _, tc := range []struct {
		name  string
		in    FileInput
		field string // "" = accepted
	}{
		{"plain text, lines and tabs", FileInput{Form: map[string]string{"summary": "开办\n小吃店\t一家"}, Materials: []MaterialFile{file("m1"), file("m2")}}, ""},
		{"a NUL", FileInput{Form: map[string]string{"summary": "a\x00b"}, Materials: []MaterialFile{file("m1"), file("m2")}}, "form.summary"},
		{"an escape sequence", FileInput{Form: map[string]string{"summary": "a\x1b[31mb"}, Materials: []MaterialFile{file("m1"), file("m2")}}, "form.summary"},
		{"a file for a material shown at the window", FileInput{Form: map[string]string{"summary": "开办"}, Materials: []MaterialFile{file("m1"), file("m2"), file("m3")}}, "material.m3"},
	} {
		err := validateApplication(&p, tc.in)
		if got := apperr.FieldsOf(err); (tc.field == "") != (err == nil) || (tc.field != "" && got[tc.field] == "") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	c := newCase(p)
	if _, err := Transition(c, Command{Kind: CmdDecideInstant, Decision: "maybe"}, at(2026, 2, 2, 10, 0)); apperr.FieldsOf(err)["decision"] == "" {
		t.Errorf("decision maybe: %v", err)
	}
	if _, err := Transition(c, Command{Kind: "zzz"}, at(2026, 2, 2, 10, 0)); apperr.FieldsOf(err)["kind"] == "" {
		t.Errorf("an unknown command: %v", err)
	}
}

// TestResultValidity: a certificate's validity is in months under
// valid_months; a procedure stored with it under valid_years (which held
// months too) reads the same.
func TestResultValidity(t *testing.T) {
	for _, js := range []string{`{"name":"许可证","certificate":true,"valid_months":60}`, `{"name":"许可证","certificate":true,"valid_years":60}`} {
		var r Result
		if err := json.Unmarshal([]byte(js), &r); err != nil || r.ValidMonths != 60 || r.Name != "许可证" || !r.Certificate {
			t.Fatalf("%s: %+v %v", js, r, err)
		}
	}
	b, _ := json.Marshal(Result{Name: "许可证", Certificate: true, ValidMonths: 60})
	if string(b) != `{"name":"许可证","certificate":true,"valid_months":60}` {
		t.Fatalf("written as %s", b)
	}
}
