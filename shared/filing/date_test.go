package filing_test

import (
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2026-06-22", true}, {"2024-02-29", true}, {"2026-02-29", false}, {"2026-02-30", false},
		{"2026-13-01", false}, {"2026-00-10", false}, {"2026-6-22", false}, {"2026/06/22", false},
		{"20260622", false}, {"", false}, {"2026-06-22T00:00:00Z", false}, {"0000-01-01", false},
		{"2100-02-29", false}, {"2000-02-29", true}, {"2026-04-31", false}, {"2026-12-31", true},
		{"2026-0a-01", false}, {"+026-01-01", false},
	} {
		_, err := filing.ParseDate(tc.in)
		if got := err == nil; got != tc.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", tc.in, got, tc.ok)
		}
	}
	if got := filing.MustDate("2026-06-02").String(); got != "2026-06-02" {
		t.Errorf("String() = %q", got)
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		start  string
		months int
		want   string
	}{
		{"2025-08-31", 6, "2026-02-28"}, // SPEC §6 example: no Feb 31st → last day of February
		{"2023-08-31", 6, "2024-02-29"}, // leap year
		{"2026-01-31", 1, "2026-02-28"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2025-12-15", 6, "2026-06-15"},
		{"2025-06-22", 12, "2026-06-22"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2025-07-31", 6, "2026-01-31"},
		{"2026-06-30", 6, "2026-12-30"},
		{"2026-12-31", 2, "2027-02-28"},
		{"2026-01-15", 0, "2026-01-15"},
	} {
		if got := filing.MustDate(tc.start).AddMonths(tc.months).String(); got != tc.want {
			t.Errorf("%s + %d months = %s, want %s", tc.start, tc.months, got, tc.want)
		}
	}
}

func TestPeriodEnd(t *testing.T) {
	cal := filing.DefaultExpo().Calendar()
	for _, tc := range []struct {
		name   string
		start  string
		months int
		want   string
	}{
		{"ends on a working day", "2025-12-15", 6, "2026-06-15"},
		{"Saturday moves to Monday", "2025-12-13", 6, "2026-06-15"},
		{"Sunday moves to Monday", "2025-12-14", 6, "2026-06-15"},
		// 2026-02-28 is a Saturday worked in exchange for the Spring Festival (调休): it counts.
		{"month-end clamp lands on a make-up Saturday", "2025-08-31", 6, "2026-02-28"},
		{"holiday weekend (Dragon Boat 19-21 June) moves to Monday", "2025-12-19", 6, "2026-06-22"},
		{"National Day week moves past 7 October", "2026-04-01", 6, "2026-10-08"},
		{"Spring Festival moves to 24 February", "2025-08-16", 6, "2026-02-24"},
		{"New Year (Thursday 1 Jan) moves to the make-up Sunday 4 Jan", "2025-07-01", 6, "2026-01-04"},
		{"Labour Day 1-5 May moves to 6 May", "2025-11-01", 6, "2026-05-06"},
		{"twelve months", "2025-06-21", 12, "2026-06-22"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.PeriodEnd(filing.MustDate(tc.start), tc.months).String(); got != tc.want {
				t.Errorf("PeriodEnd(%s, %d) = %s, want %s", tc.start, tc.months, got, tc.want)
			}
		})
	}
}

// TestCalendar2026 walks every boundary of the 2026 calendar of the State Council notice of
// 2025-11-04: each holiday run, the days either side of it, and each make-up working day.
func TestCalendar2026(t *testing.T) {
	cal := filing.DefaultExpo().Calendar()
	holidays := [][2]string{{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
		{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"}, {"2026-10-01", "2026-10-07"}}
	for _, run := range holidays {
		first, last := filing.MustDate(run[0]), filing.MustDate(run[1])
		for d := first; !d.After(last); d = d.AddDays(1) {
			if cal.IsWorkingDay(d) {
				t.Errorf("%s is a holiday, not a working day", d)
			}
		}
		// A period ending anywhere in the run ends on the first working day after it.
		after := cal.NextWorkingDay(last.AddDays(1))
		for d := first; !d.After(last); d = d.AddDays(1) {
			if got := cal.NextWorkingDay(d); got != after {
				t.Errorf("NextWorkingDay(%s) = %s, want %s", d, got, after)
			}
		}
	}
	for _, tc := range []struct{ day, next string }{
		// The day after each run.
		{"2026-01-01", "2026-01-04"}, // Sunday 4 Jan is worked
		{"2026-02-15", "2026-02-24"},
		{"2026-04-04", "2026-04-07"},
		{"2026-05-01", "2026-05-06"},
		{"2026-06-19", "2026-06-22"},
		{"2026-09-25", "2026-09-28"},
		{"2026-10-01", "2026-10-08"},
		// The make-up working days count as they are.
		{"2026-01-04", "2026-01-04"}, {"2026-02-14", "2026-02-14"}, {"2026-02-28", "2026-02-28"},
		{"2026-05-09", "2026-05-09"}, {"2026-09-20", "2026-09-20"}, {"2026-10-10", "2026-10-10"},
		// The weekend day beside a make-up day is still a weekend.
		{"2026-02-13", "2026-02-13"}, // Friday before the make-up Saturday: a working day
		{"2026-03-01", "2026-03-02"}, // Sunday after the make-up Saturday 28 Feb
		{"2026-05-10", "2026-05-11"},
		{"2026-09-19", "2026-09-20"}, // Saturday before the make-up Sunday
		{"2026-10-11", "2026-10-12"},
		// Days before each run are ordinary.
		{"2025-12-31", "2025-12-31"}, {"2026-02-13", "2026-02-13"}, {"2026-04-03", "2026-04-03"},
		{"2026-04-30", "2026-04-30"}, {"2026-06-18", "2026-06-18"}, {"2026-09-24", "2026-09-24"}, {"2026-09-30", "2026-09-30"},
	} {
		if got := cal.NextWorkingDay(filing.MustDate(tc.day)).String(); got != tc.next {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", tc.day, got, tc.next)
		}
	}
	// A period that ends on a make-up day is not extended; one that ends the day after is a
	// weekend day again.
	for _, tc := range []struct {
		start  string
		months int
		want   string
	}{
		{"2025-08-14", 6, "2026-02-14"}, {"2025-11-09", 6, "2026-05-09"}, {"2025-09-20", 12, "2026-09-20"},
		{"2025-10-10", 12, "2026-10-10"}, {"2025-07-04", 6, "2026-01-04"}, {"2025-08-28", 6, "2026-02-28"},
		{"2025-08-15", 6, "2026-02-24"},
	} {
		if got := cal.PeriodEnd(filing.MustDate(tc.start), tc.months).String(); got != tc.want {
			t.Errorf("PeriodEnd(%s, %d) = %s, want %s", tc.start, tc.months, got, tc.want)
		}
	}
}

func TestLocalDateAtExpoMidnight(t *testing.T) {
	e := filing.DefaultExpo()
	for _, tc := range []struct{ instant, want string }{
		{"2026-06-22T15:59:59Z", "2026-06-22"}, // 23:59:59 in Beijing
		{"2026-06-22T16:00:00Z", "2026-06-23"}, // 00:00:00 next day in Beijing
		{"2026-06-21T16:00:00Z", "2026-06-22"},
		{"2026-06-22T23:30:00-08:00", "2026-06-23"}, // a US clock's evening is Beijing's next day
	} {
		at, _ := time.Parse(time.RFC3339, tc.instant)
		if got := e.LocalDate(at).String(); got != tc.want {
			t.Errorf("LocalDate(%s) = %s, want %s", tc.instant, got, tc.want)
		}
	}
}

func TestDateCompareAndDays(t *testing.T) {
	a, b := filing.MustDate("2026-06-22"), filing.MustDate("2026-07-22")
	if !a.Before(b) || b.Before(a) || !b.After(a) || a.Compare(a) != 0 {
		t.Errorf("compare wrong")
	}
	if got := a.DaysUntil(b); got != 30 {
		t.Errorf("DaysUntil = %d, want 30", got)
	}
	if got := a.AddDays(-22).String(); got != "2026-05-31" {
		t.Errorf("AddDays(-22) = %s", got)
	}
}

// FuzzPeriodEnd checks the period arithmetic on arbitrary dates: the end is never before the
// plain month step, lands on a working day, never more than a fortnight later, and AddMonths
// keeps the day unless the month is shorter.
func FuzzPeriodEnd(f *testing.F) {
	for _, s := range []string{"2025-08-31", "2024-02-29", "2025-12-13", "2026-06-19", "1999-12-31"} {
		f.Add(s, 6)
		f.Add(s, 12)
	}
	cal := filing.DefaultExpo().Calendar()
	f.Fuzz(func(t *testing.T, s string, months int) {
		d, err := filing.ParseDate(s)
		if err != nil || months < 0 || months > 1200 || d.Year > 9000 {
			return
		}
		if back, err := filing.ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("round trip %s: %v %v", s, back, err)
		}
		plain := d.AddMonths(months)
		if plain.Day != d.Day && plain.Day < 28 {
			t.Fatalf("%s + %d months = %s: day changed though the month is long enough", d, months, plain)
		}
		if int(plain.Month) != (int(d.Month)-1+months)%12+1 {
			t.Fatalf("%s + %d months = %s: wrong month", d, months, plain)
		}
		end := cal.PeriodEnd(d, months)
		if end.Before(plain) || !cal.IsWorkingDay(end) || plain.DaysUntil(end) > 14 {
			t.Fatalf("PeriodEnd(%s, %d) = %s (plain %s)", d, months, end, plain)
		}
	})
}
