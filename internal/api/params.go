package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// query reads typed query parameters and collects one field error per bad
// parameter, so that a client learns about all of them at once.
type query struct {
	v url.Values
	f apperr.Fields
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

// str returns a parameter as given, trimmed.
func (q *query) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

// id returns an optional positive id; nil when absent.
func (q *query) id(name string) *int64 {
	s := q.str(name)
	if s == "" {
		return nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		q.f.Add(name, "参数 "+name+" 应为正整数编号")
		return nil
	}
	return &id
}

// int returns an integer in [lo, hi], def when absent.
func (q *query) int(name string, def, lo, hi int) int {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		q.f.Add(name, "参数 "+name+" 应为 "+strconv.Itoa(lo)+"–"+strconv.Itoa(hi)+" 之间的整数")
		return def
	}
	return n
}

// requiredInt returns a required integer in [lo, hi].
func (q *query) requiredInt(name string, lo, hi int) int {
	if q.required(name) == "" {
		return 0
	}
	return q.int(name, 0, lo, hi)
}

// required returns a parameter that must be present.
func (q *query) required(name string) string {
	s := q.str(name)
	q.f.Check(s == "", name, "请提供参数 "+name)
	return s
}

// flag returns a boolean parameter ("1", "true", "0", "false"); false when absent.
func (q *query) flag(name string) bool {
	s := q.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	q.f.Check(err != nil, name, "参数 "+name+" 应为 1 或 0")
	return b
}

// date returns a required date in the form YYYY-MM-DD.
func (q *query) date(name string) calendar.Date {
	s := q.required(name)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	q.f.AddErr(name, invalidf(err))
	return d
}

// err returns the collected field errors, or nil.
func (q *query) err() error { return q.f.Err() }

// invalidf turns an error with a safe Chinese text (such as those of the
// calendar package) into an Invalid error carrying that text.
func invalidf(err error) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(err, apperr.Invalid, err.Error())
}

// editID returns the id of the object being replaced, 0 when creating.
func editID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return pathID(r, "id")
}

// savedStatus is 201 for a create (id 0), 200 for an update.
func savedStatus(id int64) int {
	if id == 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

// listJSON is the envelope of every list response.
type listJSON[T any] struct {
	Items []T `json:"items"`
}

// listOf converts xs to their JSON form; an empty list is [] rather than null.
func listOf[S, T any](xs []S, conv func(S) T) listJSON[T] {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		out = append(out, conv(x))
	}
	return listJSON[T]{Items: out}
}

// ids returns xs, or an empty list for nil so that JSON shows [].
func ids(xs []int64) []int64 {
	if xs == nil {
		return []int64{}
	}
	return xs
}

// getOne answers GET /…/{id}: find the object, encode it.
func getOne[T, J any](w http.ResponseWriter, r *http.Request, find func(context.Context, int64) (T, error), conv func(T) J) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := find(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, conv(v))
}

// saveOne answers POST /… (create) and PUT /…/{id} (replace): decode the
// body, call the service's save as the request's actor, encode the result.
func saveOne[Req, T, J any](w http.ResponseWriter, r *http.Request, save func(context.Context, *identity.Actor, int64, Req) (T, error), conv func(T) J) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := editID(r)
	if err != nil {
		return err
	}
	var in Req
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := save(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, savedStatus(id), conv(v))
}

// deleteOne answers DELETE /…/{id}: remove runs as the request's actor and
// success is 204 No Content. remove reaches the service when called, not
// when the route is registered.
func deleteOne(remove func(context.Context, *identity.Actor, int64) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor(r)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := remove(r.Context(), a, id); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
