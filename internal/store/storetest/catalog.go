package storetest

import (
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// SampleItem returns a valid item of the Tree's department: 食品经营许可
// at county level, 20 legal and 15 promised working days, free.
func SampleItem(tr *Tree, code string) catalog.ItemInput {
	return catalog.ItemInput{Code: code, DepartmentID: tr.Department.ID, Guide: SampleGuide("食品经营许可")}
}

// SampleGuide returns a valid county-level licence guide with the name.
func SampleGuide(name string) catalog.Guide {
	wd := func(n int) calendar.Limit { return calendar.Limit{N: n, Unit: calendar.UnitWorkday} }
	return catalog.Guide{
		Name: name, Type: catalog.TypeLicence, Level: catalog.LevelCounty,
		LegalBases: []catalog.LegalBasis{{Law: "《中华人民共和国食品安全法》", Article: "第三十五条"}},
		Conditions: "具有与经营的食品品种、数量相适应的经营场所和设备设施。",
		Materials: []catalog.Material{
			{Name: "食品经营许可申请书", Source: "申请人自备", Originals: 1, Need: catalog.NeedRequired, Type: catalog.MaterialUpload},
			{Name: "法定代表人身份证明", Source: "政府部门核发", Issuer: "公安机关", Originals: 1, Copies: 1, Need: catalog.NeedRequired, Type: catalog.MaterialShow},
			{Name: "委托书", Originals: 1, Need: catalog.NeedConditional, Condition: "委托他人办理的", Type: catalog.MaterialUpload},
		},
		Steps: []catalog.Step{
			{Name: "受理", Role: identity.RoleWindowClerk, Limit: wd(1), CounterMin: 20, WaitMin: 15},
			{Name: "审查", Role: identity.RoleApprover, Limit: wd(10)},
			{Name: "决定", Role: identity.RoleDeptHead, Limit: wd(4)},
		},
		LegalLimit:    catalog.TimeLimit{Limit: wd(20)},
		PromisedLimit: catalog.TimeLimit{Limit: wd(15)},
		Kind:          catalog.KindPromised,
		Procedures:    []catalog.Procedure{{Kind: catalog.ProcedureOther, Name: "现场核查", StopsClock: true, MaxLimit: wd(10), Basis: "《食品经营许可和备案管理办法》"}},
		Fees:          catalog.Fees{Charged: false},
		Result:        catalog.Result{Name: "食品经营许可证", Type: catalog.ResultCertificate, ValidMonths: 60, Validity: "5年"},
		Scope:         catalog.ScopeNone,
		Audiences:     []catalog.Audience{catalog.AudienceEnterprise, catalog.AudiencePerson},
		Themes:        []string{"准营准办"},
		Forms:         []catalog.HandlingForm{catalog.FormWindow, catalog.FormWeb},
		Location:      "西湖区政务服务中心", Hours: "周一至周五 9:00–17:00", Consult: "0571-87061315", Complaint: "12345",
	}
}
