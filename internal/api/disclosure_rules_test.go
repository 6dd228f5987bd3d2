package api_test

import (
	"net/http"
	"testing"

	"openhall/internal/apptest"
)

type publishRuleOut struct {
	Category string `json:"category"`
	Days     int    `json:"days"`
	Unit     string `json:"unit"`
	Basis    string `json:"basis"`
	Statute  bool   `json:"statute"`
}

// TestDisclosurePublishRules: staff read the periods (Art 26 default and
// 预算法 Art 14 built in); only a global administrator sets or removes one,
// with a bad unit or a basis naming no law refused by field.
func TestDisclosurePublishRules(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow})
		a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
		a.Staff(t, "root", "sysadmin", nil, nil)
		officer, root := login(t, a, "officer"), login(t, a, "root")
		var rules []publishRuleOut
		officer.call("GET", "/api/v1/disclosure/publish-rules", nil, http.StatusOK, &rules)
		if len(rules) != 2 || rules[1].Category != "a20-7" || rules[1].Unit != "days" || !rules[1].Statute {
			t.Fatalf("built-in rules: %+v", rules)
		}
		body := map[string]any{"days": 7, "unit": "workdays", "basis": "《某某规定》第九条"}
		officer.call("PUT", "/api/v1/disclosure/publish-rules/a20-14", body, http.StatusForbidden, nil)
		root.call("PUT", "/api/v1/disclosure/publish-rules/a20-14", map[string]any{"days": 7, "unit": "weeks", "basis": "《某某规定》第九条"}, http.StatusUnprocessableEntity, nil)
		root.call("PUT", "/api/v1/disclosure/publish-rules/a20-7", body, http.StatusUnprocessableEntity, nil)
		var got publishRuleOut
		root.call("PUT", "/api/v1/disclosure/publish-rules/a20-14", body, http.StatusOK, &got)
		if got.Days != 7 || got.Unit != "workdays" || got.Statute {
			t.Fatalf("saved rule: %+v", got)
		}
		root.call("DELETE", "/api/v1/disclosure/publish-rules/a20-14", nil, http.StatusNoContent, nil)
		root.call("DELETE", "/api/v1/disclosure/publish-rules/a20-14", nil, http.StatusNotFound, nil)
	})
}
