package docapi

import (
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/filing"
)

// Notifications are the routes of the notification outbox (SPEC §17): supervisors list it by
// state and resend; staff see what a filing's contact was sent; a reminder's one-click
// unsubscribe link.
func Notifications(srv *api.Server) []api.Route {
	h := handlers{srv: srv}
	sup := []string{filing.RoleSupervisor}
	return []api.Route{
		{Method: "GET", Pattern: "/v1/notifications", Roles: sup, Handle: h.notices},
		{Method: "POST", Pattern: "/v1/notifications/{id}/resend", Roles: sup, Handle: h.resend},
		{Method: "GET", Pattern: "/v1/filings/{id}/notifications", Roles: []string{filing.RoleKiosk, filing.RoleExaminer, filing.RoleSupervisor}, Handle: h.filingNotices},
		{Method: "GET", Pattern: "/v1/status/{token}/unsubscribe", Handle: h.unsubscribe},
		{Method: "POST", Pattern: "/v1/status/{token}/unsubscribe", Handle: h.unsubscribe},
	}
}

// noticeStore is the store's notification outbox (every store of ipfast keeps one).
func (h handlers) noticeStore() filing.NoticeStore {
	n, _ := h.srv.Intake.Store.(filing.NoticeStore)
	return n
}

// notices answers GET /v1/notifications?state=pending|sent|failed (default pending): the expo's
// outbox, pending oldest due first, sent and failed newest first, a page at a time.
func (h handlers) notices(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	x, err := h.srv.Intake.Expo.Serving(p.Expo)
	if err != nil {
		return err
	}
	qv := r.URL.Query()
	q := filing.NoticeQuery{Expo: x.ID, State: filing.NoticePending, Limit: 50, Cursor: qv.Get("cursor")}
	if st := qv.Get("state"); st != "" {
		q.State = filing.NoticeState(st)
		if !validNoticeState(q.State) {
			return api.BadParam("state", "invalid_enum", "unknown state "+strconv.Quote(st), "pending, sent, failed")
		}
	}
	if l := qv.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			return api.BadParam("limit", "out_of_range", "limit must be 1 to 200", "")
		}
		q.Limit = n
	}
	page, err := h.noticeStore().Notices(r.Context(), q)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, page)
}

func validNoticeState(st filing.NoticeState) bool {
	for _, s := range filing.NoticeStates {
		if s == st {
			return true
		}
	}
	return false
}

// resend answers POST /v1/notifications/{id}/resend: the notice is sent (again) as soon as a
// sender gets to it, with the same Message-ID; 202 with the notice. A notice a sender is
// sending right now is left to it.
func (h handlers) resend(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	x, err := h.srv.Intake.Expo.Serving(p.Expo)
	if err != nil {
		return err
	}
	store := h.noticeStore()
	for attempt := 0; ; attempt++ {
		n, err := store.GetNotice(r.Context(), x.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		now := h.srv.Intake.Clock.Now()
		if n.State == filing.NoticePending && n.Claim != "" && now.Before(n.NextAttemptAt) {
			return api.WriteJSON(w, http.StatusAccepted, n)
		}
		n.Version++
		n.State, n.NextAttemptAt, n.UpdatedAt, n.Claim, n.Bounced = filing.NoticePending, now, now, "", false
		n.Resends++
		n.CreatedAt = now // its retries run from now (filing.NoticeGiveUp)
		err = store.UpdateNotice(r.Context(), n)
		if filing.ErrorCode(err) == filing.CodeVersionConflict && attempt < 3 {
			continue
		}
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusAccepted, n)
	}
}

// filingNotices answers GET /v1/filings/{id}/notifications: what the filing's contact was sent
// (or is to be), oldest first. The address is masked for examiners but the lease holder (SPEC §9).
func (h handlers) filingNotices(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	f, _, err := h.srv.Filing(r, p)
	if err != nil {
		return err
	}
	ns, err := h.noticeStore().FilingNotices(r.Context(), f.Expo, f.ID)
	if err != nil {
		return err
	}
	// An examiner sees the address as the filing shows it: whole to the lease holder, masked to
	// the others (SPEC §9).
	if p.Role == filing.RoleExaminer {
		for i := range ns {
			if f.Contact == nil || f.Contact.Email != ns[i].To {
				ns[i] = ns[i].Masked()
			}
		}
	}
	for i := range ns {
		ns[i].Claim = ""
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": ns})
}

// unsubscribe is a reminder's unsubscribe link: GET shows a page with one button (a link
// checker that follows links unsubscribes nobody), POST (the button, or a mail client's
// RFC 8058 one-click) stops the filing's reminders. Legal notices are sent regardless.
func (h handlers) unsubscribe(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	f, err := h.srv.Intake.Store.ByStatusToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	done := r.Method == http.MethodPost
	if done {
		if err := h.noticeStore().Unsubscribe(r.Context(), f.Expo, f.ID); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	_, err = io.WriteString(w, unsubscribePage(f.FilingNumber, f.Language == "zh", done))
	return err
}

// unsubscribePage is the page of the unsubscribe link, in the filing's language with the other
// beside it. (Written out rather than with html/template, whose reflection would keep every
// AWS SDK method in the documents function: see the template test.)
func unsubscribePage(number string, zh, done bool) string {
	n := html.EscapeString(number)
	pick := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}
	lang, other := pick("en", "zh-CN"), pick("zh-CN", "en")
	var b strings.Builder
	b.WriteString(`<!doctype html>
<html lang="` + lang + `"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>` + pick("Reminders", "提醒") + ` · ` + n + `</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #1f5fa8;background:#1f5fa8;color:#fff;cursor:pointer}
p.other{color:#555}</style></head><body>
`)
	en := map[bool][2]string{
		true:  {"No more reminders", "You will get no more deadline reminders for filing " + n + ". Notices of filing, corrections and decisions are still sent."},
		false: {"Stop deadline reminders", "Filing " + n + ": stop the reminders sent before a correction deadline. Notices of filing, corrections and decisions are still sent."}}[done]
	cn := map[bool][2]string{
		true:  {"已退订提醒", "申请 " + n + " 不会再发送补正期限提醒。受理、补正通知和审查决定仍会发送。"},
		false: {"退订补正期限提醒", "申请 " + n + "：不再发送补正期限前的提醒。受理、补正通知和审查决定仍会发送。"}}[done]
	first, second := en, cn
	if zh {
		first, second = cn, en
	}
	b.WriteString("<h1>" + first[0] + "</h1>\n<p>" + first[1] + "</p>\n")
	b.WriteString(`<p class="other" lang="` + other + `">` + second[0] + ": " + second[1] + "</p>\n")
	if !done {
		b.WriteString(`<form method="post"><button type="submit">` + pick("Stop reminders · 退订提醒", "退订提醒 · Stop reminders") + "</button></form>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}
