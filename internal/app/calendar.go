package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/jobs"
	"openhall/internal/notify"
)

// When the calendar changes, the due dates kept on case rows for the
// queues are recomputed by a job enqueued in the change's transaction, on
// whichever node picks it up; every node's calendars follow the stored
// calendar version within calendarWatch. From 1 November, the deployment's
// administrators are reminded (once a year, in their inbox; on every page
// until it is done) to import next year's State Council schedule.

// calendarWatch is how often a node checks the stored calendar version.
const calendarWatch = 2 * time.Second

// recomputeDues is the job that rewrites stored due dates from a day on.
type recomputeDues struct {
	From string `json:"from"` // YYYY-MM-DD
}

func (recomputeDues) Kind() string { return "cases.recompute_dues" }

// remindCalendar is the daily check for next year's schedule.
type remindCalendar struct{}

func (remindCalendar) Kind() string { return "calendar.remind_next_year" }

// hookCalendar makes every calendar change enqueue the recomputation.
func (a *App) hookCalendar() {
	a.Services.Calendar.SetChangeHook(func(ctx context.Context, from calendar.Date) error {
		return a.queue.Enqueue(ctx, recomputeDues{From: from.String()}, nil)
	})
}

func (a *App) registerCalendarJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, j recomputeDues) error {
		from, err := calendar.ParseDate(j.From)
		if err != nil {
			return fmt.Errorf("recompute dues from %q: %w", j.From, err)
		}
		if err := a.Services.Calendar.Refresh(ctx); err != nil {
			return err
		}
		n, err := a.Services.Cases.RecomputeDues(ctx, from)
		a.Log.Info("recomputed the due dates of open cases after a calendar change", "from", j.From, "cases", n)
		return err
	})
	jobs.Register(reg, func(ctx context.Context, _ remindCalendar) error { return a.remindNextYear(ctx) })
	reg.Every(24*time.Hour, remindCalendar{})
}

// remindNextYear tells every administrator of the whole deployment, once,
// that next year's schedule is missing, from 1 November on.
func (a *App) remindNextYear(ctx context.Context) error {
	year, missing := a.Services.Calendar.MissingNextYear()
	if !missing {
		return nil
	}
	key := "calendar.reminded." + strconv.Itoa(year)
	if _, err := a.Stores.Settings.Setting(ctx, key); err == nil {
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	admins, err := a.globalAdmins(ctx)
	if err != nil {
		return err
	}
	return a.Stores.InTx(ctx, func(ctx context.Context) error {
		for _, id := range admins {
			m := notify.Message{UserID: id, Kind: "calendar.next_year_missing", Title: fmt.Sprintf("请导入 %d 年节假日安排", year),
				Body: fmt.Sprintf("%d 年的国务院节假日安排尚未导入：跨入 %d 年的期限暂按双休日和法定节日推算并标注“暂定”。国务院办公厅通知公布后，请在“工作日历”中导入或录入。", year, year),
				Link: "/admin/calendar", Email: true}
			if _, err := a.Services.Notify.Notify(ctx, m); err != nil {
				return err
			}
		}
		return a.Stores.Settings.PutSetting(ctx, key, a.now().UTC().Format(time.RFC3339))
	})
}

// globalAdmins lists the accounts administering the whole deployment.
func (a *App) globalAdmins(ctx context.Context) ([]int64, error) {
	staff := identity.KindStaff
	var out []int64
	for off := 0; ; off += 200 {
		us, total, err := a.Stores.Identity.FindUsers(ctx, identity.UserFilter{Kind: &staff, Offset: off, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			gs, err := a.Stores.Identity.FindGrantsByUser(ctx, u.ID)
			if err != nil {
				return nil, err
			}
			if (&identity.Actor{UserID: u.ID, Kind: u.Kind, Grants: gs}).IsGlobalAdmin() && !u.Disabled {
				out = append(out, u.ID)
			}
		}
		if off+200 >= total {
			return out, nil
		}
	}
}
