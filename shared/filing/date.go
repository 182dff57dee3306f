package filing

import (
	"errors"
	"time"
)

// Date is a calendar date without a time zone: filing dates, priority dates and period ends are
// calendar dates in the expo's time zone, never instants.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

var errDate = errors.New("not a YYYY-MM-DD calendar date")

// ParseDate reads a strict YYYY-MM-DD date and refuses dates that do not exist (2026-02-30).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, errDate
	}
	return Date{y, time.Month(m), d}, nil
}

// MustDate parses s or panics; for tests and built-in defaults.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic("filing: bad date " + s)
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	b := make([]byte, 0, 10)
	b = appendN(b, d.Year, 4)
	b = append(b, '-')
	b = appendN(b, int(d.Month), 2)
	b = append(b, '-')
	return string(appendN(b, d.Day, 2))
}

func appendN(b []byte, n, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for w := 0; w < width || n > 0; w++ {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[i:]...)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.t().AddDate(0, 0, n)) }

// AddMonths returns the same day-of-month n months later, or the last day of that month when
// it has no such day (2025-08-31 + 6 months = 2026-02-28): the period rule of SPEC §6.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month-1) + n
	y, m := total/12, time.Month(total%12+1)
	day := d.Day
	if last := daysIn(y, m); day > last {
		day = last
	}
	return Date{y, m, day}
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month - o.Month))
	default:
		return sign(d.Day - o.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Before reports d < o; After reports d > o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports d > o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.t().Sub(d.t()).Hours() / 24) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.t().Weekday() }

// Calendar is the expo office's calendar: Monday to Friday are working days except the
// configured public holidays; a Saturday or Sunday announced as a make-up working day (调休)
// is a working day (CNIPA Patent Examination Guidelines Part V Ch. 7 §2.3).
type Calendar struct {
	holidays map[Date]bool
	working  map[Date]bool
}

// NewCalendar builds a calendar from a holiday list and a list of make-up working days.
func NewCalendar(holidays, workingDays []Date) Calendar {
	c := Calendar{holidays: make(map[Date]bool, len(holidays)), working: make(map[Date]bool, len(workingDays))}
	for _, h := range holidays {
		c.holidays[h] = true
	}
	for _, w := range workingDays {
		c.working[w] = true
	}
	return c
}

// IsWorkingDay reports whether the office is open on d.
func (c Calendar) IsWorkingDay(d Date) bool {
	if c.working[d] {
		return true
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.holidays[d]
}

// NextWorkingDay returns d itself if it is a working day, else the next one.
func (c Calendar) NextWorkingDay(d Date) Date {
	for i := 0; i < 366 && !c.IsWorkingDay(d); i++ {
		d = d.AddDays(1)
	}
	return d
}

// PeriodEnd is the last day of a period of months starting on start: the same day-of-month
// months later (or that month's last day), extended to the next working day.
func (c Calendar) PeriodEnd(start Date, months int) Date {
	return c.NextWorkingDay(start.AddMonths(months))
}
