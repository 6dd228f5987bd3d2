package org

import (
	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Authorization rules of this package, one function per rule.

// CanAdminister: a system administrator whose scope covers the region may
// manage it and everything in it (centres, departments, windows). A root
// region (no parent) needs an administrator of the whole deployment.
func CanAdminister(a *identity.Actor, regionPath string) error {
	if regionPath == "" {
		if a.IsGlobalAdmin() {
			return nil
		}
		return apperr.New(apperr.Forbidden, "只有全局系统管理员可以创建顶级区域")
	}
	if a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "该区域不在您的管理范围内")
}

// CanViewAdmin: only system administrators open the administration pages;
// the public directory of centres and departments is open to everyone.
func CanViewAdmin(a *identity.Actor) error {
	if a.Has(identity.RoleSysAdmin) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有系统管理员可以管理组织机构")
}
