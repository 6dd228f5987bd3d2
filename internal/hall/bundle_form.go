package hall

import (
	"context"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// Form is a bundle's combined application form: the shared fields asked
// once, each item's own fields that no shared field fills, and each
// material asked for once however many items need it.
type Form struct {
	Bundle    *Bundle
	Items     []FormItem
	Shared    []SharedField
	Materials []MaterialGroup
}

// FormItem is one item of the bundle with the procedure it is filed under.
type FormItem struct {
	BundleItem
	VersionID int64
	Procedure *cases.Procedure
	Own       []cases.Field // fields of its own: not filled by a shared field, nor the summary
}

// MaterialGroup is a material asked for once: the items' materials of the
// same name, each stored once and attached to every case that needs it.
type MaterialGroup struct {
	Key      string // g1, g2 … in the order first met
	Name     string
	Kind     cases.MaterialKind
	Required bool // required by at least one item
	Uses     []MaterialUse
}

// MaterialUse is one item's material a group answers.
type MaterialUse struct {
	ImplCode, Code, ItemName, Condition string
	Required                            bool
}

// Form builds the combined form of an active bundle (or of any bundle for
// an administrator of its region, to preview it).
func (s *Service) Form(ctx context.Context, a *identity.Actor, bundleID int64) (*Form, error) {
	b, err := s.Bundle(ctx, a, bundleID)
	if err != nil {
		return nil, err
	}
	f := &Form{Bundle: b, Shared: b.Fields}
	groups := map[string]int{}
	for _, bi := range b.Items {
		p, _, err := s.currentProcedure(ctx, bi.ImplCode)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Conflict, "“"+bi.Name+"”暂不能申请："+apperr.MessageOf(err))
		}
		fi := FormItem{BundleItem: bi, VersionID: p.ItemVersionID, Procedure: p}
		for _, fd := range p.Fields {
			if fd.Name != "summary" && !f.filled(bi.ImplCode, fd.Name) {
				fi.Own = append(fi.Own, fd)
			}
		}
		f.Items = append(f.Items, fi)
		f.group(groups, bi, p)
	}
	return f, nil
}

// filled reports whether a shared field fills an item's field.
func (f *Form) filled(implCode, field string) bool {
	for _, sf := range f.Shared {
		if sf.Fills(implCode, field) {
			return true
		}
	}
	return false
}

// group adds an item's materials to the groups (by index) by their name.
func (f *Form) group(groups map[string]int, bi BundleItem, p *cases.Procedure) {
	for _, m := range p.Materials {
		name := strings.TrimSpace(m.Name)
		i, ok := groups[name]
		if !ok {
			i = len(f.Materials)
			f.Materials = append(f.Materials, MaterialGroup{Key: "g" + strconv.Itoa(i+1), Name: name, Kind: m.Kind})
			groups[name] = i
		}
		g := &f.Materials[i]
		g.Required = g.Required || m.Required
		g.Uses = append(g.Uses, MaterialUse{ImplCode: bi.ImplCode, Code: m.Code, ItemName: p.ItemName, Condition: m.Condition, Required: m.Required})
	}
}

// Included lists the items the answers include.
func (f *Form) Included(answers map[string]string) []FormItem {
	var out []FormItem
	for _, it := range f.Items {
		if it.When.Holds(answers) {
			out = append(out, it)
		}
	}
	return out
}

// Uploads lists the groups answered with a file.
func (f *Form) Uploads() []MaterialGroup {
	var out []MaterialGroup
	for _, g := range f.Materials {
		if g.Kind == cases.MaterialUpload {
			out = append(out, g)
		}
	}
	return out
}

// InPerson lists the groups shown or signed at the window.
func (f *Form) InPerson() []MaterialGroup {
	var out []MaterialGroup
	for _, g := range f.Materials {
		if g.Kind != cases.MaterialUpload {
			out = append(out, g)
		}
	}
	return out
}

// groupOf returns the group answering an item's material.
func (f *Form) groupOf(implCode, code string) (MaterialGroup, bool) {
	for _, g := range f.Materials {
		for _, u := range g.Uses {
			if u.ImplCode == implCode && u.Code == code {
				return g, true
			}
		}
	}
	return MaterialGroup{}, false
}

// sharedFor returns the shared field filling an item's field.
func (f *Form) sharedFor(implCode, field string) (SharedField, bool) {
	for _, sf := range f.Shared {
		if sf.Fills(implCode, field) {
			return sf, true
		}
	}
	return SharedField{}, false
}

// checkShared checks the shared answers as the items would (required,
// number ranges, e-mail and phone), naming the shared fields.
func (f *Form) checkShared(answers map[string]string) apperr.Fields {
	var errs apperr.Fields
	for _, sf := range f.Shared {
		v := strings.TrimSpace(answers[sf.Name])
		key := "shared." + sf.Name
		if v == "" {
			errs.Check(sf.Required, key, "请填写“"+sf.Name+"”")
			continue
		}
		if sf.Type == catalog.FieldChoice && !contains(sf.Choices, v) {
			errs.Add(key, "请从列表中选择“"+sf.Name+"”")
		}
	}
	return errs
}
