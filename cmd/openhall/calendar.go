package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/config"
	"openhall/internal/identity"
)

func cmdCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("用法：openhall calendar add-workdays DATE N | workdays-between FROM TO | import FILE")
	}
	cfg := config.Default()
	fs := flagSet("calendar "+args[0], stderr)
	dbFlags(fs, &cfg)
	year := fs.Int("year", 0, "导入 ICS 文件时的年份")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "add-workdays":
		return calendarAdd(ctx, cfg, fs.Args(), stdout, stderr)
	case "workdays-between":
		return calendarBetween(ctx, cfg, fs.Args(), stdout, stderr)
	case "import":
		return calendarImport(ctx, cfg, fs.Args(), *year, stdout, stderr)
	}
	return usagef("未知的 calendar 子命令 %q", args[0])
}

// nationalCalendar returns the calendar with any schedules imported into the
// database; without a database it uses the schedules the program ships and
// does not create one.
func nationalCalendar(ctx context.Context, cfg config.Config, stderr io.Writer) (*calendar.Calendar, error) {
	if !cfg.IsPostgres() {
		if _, err := os.Stat(cfg.SQLitePath()); errors.Is(err, os.ErrNotExist) {
			return calendar.New(calendar.EmbeddedSchedules(), nil)
		}
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.Services.Calendar.National(), nil
}

func calendarAdd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return usagef("用法：openhall calendar add-workdays DATE N（如 2026-02-13 1）")
	}
	d, err := calendar.ParseDate(args[0])
	if err != nil {
		return usagef("%v", err)
	}
	n, err := strconv.Atoi(args[1])
	if err != nil {
		return usagef("工作日数 %q 不是整数", args[1])
	}
	cal, err := nationalCalendar(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	due, err := cal.AddWorkdays(d, n)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, due.String()+calendar.ProvisionalNote(cal.Provisional(d, due)))
	return nil
}

func calendarBetween(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return usagef("用法：openhall calendar workdays-between FROM TO")
	}
	from, err1 := calendar.ParseDate(args[0])
	to, err2 := calendar.ParseDate(args[1])
	if err := errors.Join(err1, err2); err != nil {
		return usagef("%v", err)
	}
	cal, err := nationalCalendar(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	n, err := cal.WorkdaysBetween(from, to)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, strconv.Itoa(n)+calendar.ProvisionalNote(cal.Provisional(from, to)))
	return nil
}

func calendarImport(ctx context.Context, cfg config.Config, args []string, year int, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usagef("用法：openhall calendar import FILE [--year Y]（FILE 为 holiday-cn 格式 JSON 或 ICS）")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("读取 %s：%w", args[0], err)
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(args[0])), ".")
	sch, err := a.Services.Calendar.ImportSchedule(ctx, identity.SystemActor(), format, filepath.Base(args[0]), year, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导入 %d 年节假日安排：%d 天调整\n", sch.Year, len(sch.Days))
	return nil
}
