package web

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"sync"
	"time"

	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// The actions a guide page offers its viewer, by the item's 办理形式 and
// 服务对象: 在线申请 (online items, for the viewer's kind), 预约到窗口
// (where the item allows appointments), 找代办 (the village points that
// serve it), 收藏 and 分享; an item without online filing says where and
// when to go instead. Anonymous visitors share one rendering, spliced into
// the page kept for them.

// pointsTTL is how long the proxy points of a region are reused.
const pointsTTL = time.Minute

type guideActions struct {
	Item      *catalog.Item
	G         *catalog.Guide
	VersionID int64
	Accepting bool
	Online    bool   // the item is filed online
	ApplyURL  string // where this viewer applies, "" when they cannot
	ApplyText string
	NotFor    string // why this viewer cannot apply online
	LoggedIn  bool
	Public    bool // a citizen's or a company's account: the one who asks for an appointment
	Favourite bool
	Points    []*org.Centre
	ShareURL  string
	MinDay    string // the appointment form's date range
	MaxDay    string
	Form      form
	CSRF      string
}

// pointsCache keeps the proxy points of each region path for a while, and
// the anonymous renderings of the actions made from them.
type pointsCache struct {
	mu      sync.Mutex
	entries map[string]pointsEntry
}

type pointsEntry struct {
	at      time.Time
	points  []*org.Centre
	renders map[string][]byte // by 实施编码, address and item state: the anonymous actions
}

// actionsFor builds the actions of a guide for a viewer.
func (s *Server) actionsFor(ctx context.Context, a *identity.Actor, it *catalog.Item, v *catalog.Version, abs string) (guideActions, error) {
	g := &v.Guide
	today := s.svc.Catalog.Today()
	ga := guideActions{Item: it, G: g, VersionID: v.ID, Accepting: it.Accepting(), Online: g.Online && it.Accepting(),
		LoggedIn: a != nil, Public: a != nil && a.IsPublic(), ShareURL: abs, MinDay: today.AddDays(1).String(), MaxDay: today.AddDays(30).String(), Form: newForm(nil, nil)}
	proxy, err := s.mayFileFor(ctx, a, it)
	if err != nil {
		return ga, err
	}
	ga.apply(a, proxy)
	if ga.Points, _, err = s.proxyPoints(ctx, it); err != nil {
		return ga, err
	}
	if a != nil {
		ga.Favourite, err = s.svc.Hall.IsFavourite(ctx, a, it.ID)
	}
	return ga, err
}

// mayFileFor reports whether a is a window clerk or 代办员 who may file the
// item for someone else (cases.CanFile), so that the guide offers them a
// link only where the form will open.
func (s *Server) mayFileFor(ctx context.Context, a *identity.Actor, it *catalog.Item) (bool, error) {
	if a == nil || !(a.Has(identity.RoleWindowClerk) || a.Has(identity.RoleProxyAgent)) {
		return false, nil
	}
	path, err := s.svc.Org.RegionPath(ctx, it.RegionID)
	if err != nil {
		return false, err
	}
	return cases.CanFile(a, &cases.Procedure{RegionPath: path, DepartmentID: it.DepartmentID}, true) == nil, nil
}

// apply decides how the viewer can file the item; proxy says whether they
// may file it for someone else.
func (ga *guideActions) apply(a *identity.Actor, proxy bool) {
	apply := "/apply/" + idStr(ga.VersionID)
	person, legal := catalog.AudienceFlags(ga.G.Audiences)
	switch {
	case !ga.Accepting:
	case a == nil && ga.Online:
		ga.ApplyURL, ga.ApplyText = "/login?next="+url.QueryEscape(apply), "登录后在线申请"
	case a == nil:
	case proxy && a.Has(identity.RoleWindowClerk):
		ga.ApplyURL, ga.ApplyText = apply, "窗口代录申请"
	case proxy:
		ga.ApplyURL, ga.ApplyText = apply, "为村民代办申请"
	case !ga.Online || a.IsStaff():
	case a.Kind == identity.KindPerson && !person:
		ga.NotFor = "本事项的服务对象为" + audienceText(ga.G.Audiences) + "，个人账号不能申请"
	case a.Kind == identity.KindLegal && !legal:
		ga.NotFor = "本事项的服务对象为自然人，法人账号不能申请"
	default:
		ga.ApplyURL, ga.ApplyText = apply, "在线申请"
	}
}

func audienceText(as []catalog.Audience) string {
	out := ""
	for i, a := range as {
		if i > 0 {
			out += "、"
		}
		out += a.Label()
	}
	return out
}

// proxyPoints returns the proxy points serving an item, and the cache entry
// holding them.
func (s *Server) proxyPoints(ctx context.Context, it *catalog.Item) ([]*org.Centre, string, error) {
	key := idStr(it.RegionID)
	s.points.mu.Lock()
	e, ok := s.points.entries[key]
	s.points.mu.Unlock()
	if ok && time.Since(e.at) < pointsTTL {
		return e.points, key, nil
	}
	ps, err := s.svc.Hall.ProxyPoints(ctx, it)
	if err != nil {
		return nil, key, err
	}
	s.points.mu.Lock()
	if s.points.entries == nil || len(s.points.entries) > 10000 {
		s.points.entries = map[string]pointsEntry{}
	}
	s.points.entries[key] = pointsEntry{at: time.Now(), points: ps, renders: map[string][]byte{}}
	s.points.mu.Unlock()
	return ps, key, nil
}

// anonymousActions is the actions block every anonymous visitor of a guide
// sees, rendered once per item state while its region's points are kept.
func (s *Server) anonymousActions(ctx context.Context, it *catalog.Item, v *catalog.Version, abs string) ([]byte, error) {
	_, key, err := s.proxyPoints(ctx, it)
	if err != nil {
		return nil, err
	}
	name := it.ImplCode + " " + abs + " " + strconv.FormatInt(v.ID, 10) + " " + strconv.FormatInt(it.UpdatedAt.UnixNano(), 10)
	s.points.mu.Lock()
	b, ok := s.points.entries[key].renders[name]
	s.points.mu.Unlock()
	if ok {
		return b, nil
	}
	ga, err := s.actionsFor(ctx, nil, it, v, abs)
	if err != nil {
		return nil, err
	}
	if b, err = s.fragment("catalog/guide", "guide-actions", ga); err != nil {
		return nil, err
	}
	s.points.mu.Lock()
	if e, ok := s.points.entries[key]; ok {
		e.renders[name] = b
	}
	s.points.mu.Unlock()
	return b, nil
}

// renderActions renders the actions of a logged-in viewer.
func (s *Server) renderActions(ga guideActions) (template.HTML, error) {
	b, err := s.fragment("catalog/guide", "guide-actions", ga)
	return template.HTML(b), err // rendered by html/template
}
