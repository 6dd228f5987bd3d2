package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionCardRoutes() {
	s.mux.HandleFunc("GET /supervision/cards", s.requireStaff(s.handleCards))
	s.mux.HandleFunc("GET /supervision/cards.xlsx", s.requireStaff(s.handleCardsXLSX))
	s.mux.HandleFunc("POST /supervision/cards", s.requireStaff(s.handleRaiseCard))
	s.mux.HandleFunc("GET /supervision/cards/{id}", s.requireStaff(s.handleCard))
	s.mux.HandleFunc("POST /supervision/cards/{id}/resolve", s.requireStaff(s.handleResolveCard))
	s.mux.HandleFunc("GET /supervision/my", s.requireStaff(s.handleMyCards))
}

type cardsPage struct {
	Page
	Cards   []*supervision.Card
	Total   int
	Form    form
	Query   template.URL
	Offset  int
	Prev    int
	Next    int
	Kinds   []supervision.Kind
	Heading string
	Mine    bool
	filterOptions
}

// cardFilterOf reads a card list's filter from the query.
func cardFilterOf(q url.Values) (supervision.CardFilter, error) {
	var fs apperr.Fields
	num := func(name string) int64 {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		fs.Check(err != nil || n < 0, name, "请输入编号（数字）")
		return n
	}
	colour, ok := supervision.ParseColour(q.Get("colour"))
	fs.Check(!ok, "colour", "颜色只能是黄牌或红牌")
	kind := supervision.Kind(q.Get("kind"))
	fs.Check(kind != "" && !kind.Valid(), "kind", "请从列表中选择预警类型")
	f := supervision.CardFilter{DeptID: num("dept"), UserID: num("user"), Colour: colour, Kind: kind, InForce: q.Get("in_force") == "1",
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Offset: int(num("offset"))}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if v != "" {
			_, err := calendar.ParseDate(v)
			fs.Check(err != nil, name, "日期格式应为 YYYY-MM-DD，如 2026-03-01")
		}
	}
	return f, fs.Err()
}

func (s *Server) handleCards(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := cardsPage{Page: s.page(w, r, "红黄牌"), Form: newForm(q, nil), Query: template.URL(withoutOffset(q)), Kinds: supervision.Kinds, Heading: "红黄牌",
		filterOptions: s.filterOptions(r.Context(), httpkit.ActorFrom(r.Context()))}
	f, err := cardFilterOf(q)
	if err == nil {
		f.Limit = 50
		p.Cards, p.Total, err = sv.Cards(r.Context(), httpkit.ActorFrom(r.Context()), f)
	}
	if apperr.Is(err, apperr.Invalid) {
		p.Form = newForm(q, err)
		return s.render(w, http.StatusUnprocessableEntity, "supervision/cards", p)
	}
	if err != nil {
		return err
	}
	p.Offset, p.Prev, p.Next = f.Offset, max(f.Offset-50, 0), f.Offset+50
	return s.render(w, http.StatusOK, "supervision/cards", p)
}

func (s *Server) handleCardsXLSX(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	f, err := cardFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Offset, f.Limit = 0, supervision.ExportLimit
	cards, _, err := sv.Cards(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	data, err := supervision.CardsXLSX(cards)
	if err != nil {
		return err
	}
	return sendXLSX(w, "红黄牌清单.xlsx", data)
}

// handleMyCards lists a staff member's own cards.
func (s *Server) handleMyCards(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	cards, total, err := sv.MyCards(r.Context(), httpkit.ActorFrom(r.Context()), max(offset, 0))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "supervision/cards", cardsPage{Page: s.page(w, r, "我的红黄牌"), Cards: cards, Total: total,
		Heading: "我的红黄牌", Mine: true, Offset: offset, Prev: max(offset-50, 0), Next: offset + 50, Form: newForm(nil, nil)})
}

type cardPage struct {
	Page
	C          *supervision.Card
	Form       form
	CanResolve bool
}

func (s *Server) cardPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, err := sv.Card(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.render(w, status, "supervision/card", cardPage{Page: s.page(w, r, "红黄牌 "+c.Number), C: c, Form: f,
		CanResolve: c.ResolvedAt.IsZero() && supervision.CanSupervise(a, c.RegionPath, c.DeptID) == nil})
}

func (s *Server) handleCard(w http.ResponseWriter, r *http.Request) error {
	return s.cardPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) handleResolveCard(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	_, err = sv.ResolveCard(r.Context(), httpkit.ActorFrom(r.Context()), id,
		supervision.ResolveInput{Resolution: r.PostFormValue("resolution"), Confirmed: r.PostFormValue("confirmed") == "1"})
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.cardPage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/cards/"+strconv.FormatInt(id, 10), "已记录监察结果")
}

// handleRaiseCard enters a card by hand, from a case's supervision page.
func (s *Server) handleRaiseCard(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	caseID, _ := strconv.ParseInt(r.PostFormValue("case_id"), 10, 64)
	colour, _ := supervision.ParseColour(r.PostFormValue("colour"))
	in := supervision.ManualInput{CaseID: caseID, Kind: supervision.Kind(r.PostFormValue("kind")), Colour: colour, Detail: r.PostFormValue("detail")}
	c, err := sv.RaiseCard(r.Context(), httpkit.ActorFrom(r.Context()), in)
	if apperr.Is(err, apperr.Invalid) && caseID != 0 {
		r.SetPathValue("id", strconv.FormatInt(caseID, 10))
		return s.caseFilePage(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/cards/"+strconv.FormatInt(c.ID, 10), "已录入"+c.Colour.Label()+" "+c.Number)
}

// queueCards finds the cards in force on the cases of a queue, for their
// badges; a failure only hides the badges.
func (s *Server) queueCards(r *http.Request, list []*cases.Summary) map[int64][]*supervision.Card {
	sv, err := s.supervision()
	if err != nil || len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	cards, err := sv.CardsInForce(r.Context(), httpkit.ActorFrom(r.Context()), ids)
	if err != nil {
		s.log.Warn("cards of a queue", "err", err)
	}
	return cards
}
