package notify

import (
	"fmt"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
)

// The complaint desk's messages (SPEC §11, §17): to the complainant at each step, in the
// complaint's language; to the respondent exhibitor from accepted on, in Chinese and English
// (its language is not known), with what it must do and by when.
var complaintWords = map[bool]map[string]string{
	false: {
		"subject_complaint_submitted":        "Complaint %s received",
		"complaint_submitted":                "Your complaint against the exhibit at booth %s was received on %s. An IP officer checks it and tells you what follows.",
		"subject_complaint_incomplete":       "Complaint %s: supplement needed by %s",
		"complaint_incomplete":               "Please supplement your complaint at the booth kiosk or at the IP window by %s:",
		"subject_complaint_accepted":         "Complaint %s accepted",
		"complaint_accepted":                 "Your complaint was accepted and put to the exhibitor at booth %s, who has until %s to answer in writing. You will hear of the decision.",
		"subject_complaint_refused":          "Complaint %s not taken",
		"complaint_refused":                  "No supplement came within the time given, so the complaint is not taken. You may file it again with the missing documents.",
		"subject_complaint_decided":          "Complaint %s: %s",
		"complaint_decided":                  "The IP officers have decided on your complaint against booth %s: %s.",
		"subject_respondent_accepted":        "Complaint %s against your exhibit at booth %s",
		"respondent_accepted":                "A rights holder complains that an exhibit at your booth %s infringes their %s %s. Read the complaint at your booth kiosk (Complaints) and answer there in writing by %s. Without a written answer in time and without good reason, the exhibit may be removed or covered (Guidelines for IP Protection at Exhibitions, Art. 14).",
		"subject_respondent_decided":         "Complaint %s about booth %s: %s",
		"respondent_decided":                 "The IP officers have decided on the complaint against your booth %s: %s.",
		"measures":                           "What the exhibitor must do: ",
		"complaintNumber":                    "Complaint number: ",
		"exhibit":                            "Exhibit: ",
		"dearExhibitor":                      "To the exhibitor at booth ",
		"kind_invention":                     "invention patent",
		"kind_utility_model":                 "utility model patent",
		"kind_design":                        "design patent",
		"kind_trademark":                     "trademark",
		"outcome_infringement":               "infringement found",
		"outcome_no_infringement":            "no infringement found",
		"outcome_mediated":                   "settled by mediation",
		"outcome_referred":                   "referred to the authorities",
		"measure_remove_exhibit":             "remove the exhibit",
		"measure_cover_exhibit":              "cover the exhibit",
		"measure_remove_promotion":           "remove its promotional material",
		"measure_cut_links":                  "cut its links",
		"missing_right_certificate_required": "the certificate of the right",
		"missing_right_not_in_force":         "proof that the right is in force",
		"missing_power_of_attorney_required": "a power of attorney",
		"missing_exhibit_required":           "a description of the exhibit complained of",
		"missing_respondent_unknown":         "the booth complained against",
		"missing_proceedings_pending":        "the state of pending proceedings",
	},
	true: {
		"subject_complaint_submitted":        "投诉%s已收到",
		"complaint_submitted":                "您对%s展位展品的投诉已于%s收到。知识产权工作人员将进行审核并告知后续安排。",
		"subject_complaint_incomplete":       "投诉%s：请于%s前补正",
		"complaint_incomplete":               "请于%s前通过展位终端或在知识产权服务窗口补充以下材料：",
		"subject_complaint_accepted":         "投诉%s已受理",
		"complaint_accepted":                 "您的投诉已受理并转交%s展位参展商，其应于%s前提交书面答辩。处理结果将另行通知。",
		"subject_complaint_refused":          "投诉%s不予受理",
		"complaint_refused":                  "未在规定期限内补正，投诉不予受理。您可补齐材料后重新投诉。",
		"subject_complaint_decided":          "投诉%s：%s",
		"complaint_decided":                  "知识产权工作人员已对您针对%s展位的投诉作出处理：%s。",
		"subject_respondent_accepted":        "关于贵展位%[2]s展品的投诉%[1]s",
		"respondent_accepted":                "有权利人投诉贵展位%s的展品侵犯其%s（%s）。请在展位终端“投诉”中查看投诉内容，并于%s前在终端提交书面答辩。无正当理由逾期未提交书面答辩的，展品可能被撤展或遮盖（《展会知识产权保护指引》第十四条）。",
		"subject_respondent_decided":         "关于%[2]s展位的投诉%[1]s：%[3]s",
		"respondent_decided":                 "知识产权工作人员已对针对贵展位%s的投诉作出处理：%s。",
		"measures":                           "参展商须采取的措施：",
		"complaintNumber":                    "投诉编号：",
		"exhibit":                            "展品：",
		"dearExhibitor":                      "致展位参展商：",
		"kind_invention":                     "发明专利",
		"kind_utility_model":                 "实用新型专利",
		"kind_design":                        "外观设计专利",
		"kind_trademark":                     "商标专用权",
		"outcome_infringement":               "构成侵权",
		"outcome_no_infringement":            "不构成侵权",
		"outcome_mediated":                   "调解结案",
		"outcome_referred":                   "移交有关部门处理",
		"measure_remove_exhibit":             "撤展",
		"measure_cover_exhibit":              "遮盖展品",
		"measure_remove_promotion":           "撤除宣传材料",
		"measure_cut_links":                  "断开链接",
		"missing_right_certificate_required": "权利证明",
		"missing_right_not_in_force":         "权利有效的证明",
		"missing_power_of_attorney_required": "授权委托书",
		"missing_exhibit_required":           "被投诉展品说明",
		"missing_respondent_unknown":         "被投诉展位信息",
		"missing_proceedings_pending":        "相关程序的情况",
	},
}

// ComplaintInput is what a complaint's message is made from: the notice (what its event said),
// the complaint, the expo, the recipient's name, the Message-ID's domain.
type ComplaintInput struct {
	Notice    filing.Notice
	Complaint filing.Complaint
	Expo      *filing.Expo
	Name      string
	Domain    string
}

// ComposeComplaint makes a complaint notice's message; ok is false for an event it does not
// know.
func ComposeComplaint(in ComplaintInput) (Message, bool) {
	n, c := in.Notice, in.Complaint
	if !filing.IsComplaintNotice(n.Event) {
		return Message{}, false
	}
	respondent := strings.HasPrefix(n.Event, "respondent_")
	m := Message{ID: n.ID + "@" + in.Domain, Event: n.Event, To: n.To, Number: n.ComplaintNumber, Complaint: true, Language: n.Language}
	// The complainant reads its own language; the respondent both, Chinese first.
	langs := []bool{n.Language == "zh"}
	if respondent {
		langs, m.Language = []bool{true, false}, "zh"
	}
	var lines []string
	var subjects []string
	for i, zh := range langs {
		w := complaintWords[zh]
		if i > 0 {
			lines = append(lines, "", "—", "")
		}
		subject, body := complaintText(w, zh, n, c, in.Expo)
		subjects = append(subjects, subject)
		if respondent {
			lines = append(lines, w["dearExhibitor"]+n.Booth+map[bool]string{true: "", false: ","}[zh])
		} else {
			lines = append(lines, words(zh)["dear"]+in.Name+words(zh)["comma"])
		}
		lines = append(lines, "", w["complaintNumber"]+n.ComplaintNumber)
		lines = append(lines, body...)
		lines = append(lines, "", expoName(in.Expo, zh)+" · ipfast")
	}
	m.Subject = strings.Join(subjects, " / ")
	m.Text = strings.Join(lines, "\n") + "\n"
	m.HTML = htmlOf(lines, m.Language, nil)
	return m, true
}

// complaintText is a complaint message's subject and body in one language.
func complaintText(w map[string]string, zh bool, n filing.Notice, c filing.Complaint, x *filing.Expo) (string, []string) {
	word := func(prefix, code string) string {
		if v, ok := w[prefix+code]; ok {
			return v
		}
		return code
	}
	by := localTime(x, n.RespondBy)
	var subject string
	var body []string
	line := func(s string) { body = append(body, s) }
	switch n.Event {
	case filing.NoticeComplaintSubmitted:
		subject = fmt.Sprintf(w["subject_complaint_submitted"], n.ComplaintNumber)
		line(fmt.Sprintf(w["complaint_submitted"], n.Booth, localTime(x, c.ReceivedAt)))
	case filing.NoticeComplaintIncomplete:
		subject = fmt.Sprintf(w["subject_complaint_incomplete"], n.ComplaintNumber, by)
		line(fmt.Sprintf(w["complaint_incomplete"], by))
		for _, code := range n.Missing {
			line("- " + word("missing_", code))
		}
		if n.Note != "" {
			line(n.Note)
		}
	case filing.NoticeComplaintAccepted:
		subject = fmt.Sprintf(w["subject_complaint_accepted"], n.ComplaintNumber)
		line(fmt.Sprintf(w["complaint_accepted"], n.Booth, by))
	case filing.NoticeComplaintRefused:
		subject = fmt.Sprintf(w["subject_complaint_refused"], n.ComplaintNumber)
		line(w["complaint_refused"])
	case filing.NoticeRespondentAccepted:
		subject = fmt.Sprintf(w["subject_respondent_accepted"], n.ComplaintNumber, n.Booth)
		line(fmt.Sprintf(w["respondent_accepted"], n.Booth, word("kind_", c.Right.Kind), c.Right.Number, by))
		for _, e := range c.Exhibits {
			line(w["exhibit"] + e.Description)
		}
	case filing.NoticeComplaintDecided, filing.NoticeRespondentDecided:
		outcome := ""
		if n.ComplaintDecision != nil {
			outcome = word("outcome_", n.ComplaintDecision.Outcome)
		}
		if n.Event == filing.NoticeComplaintDecided {
			subject = fmt.Sprintf(w["subject_complaint_decided"], n.ComplaintNumber, outcome)
			line(fmt.Sprintf(w["complaint_decided"], n.Booth, outcome))
		} else {
			subject = fmt.Sprintf(w["subject_respondent_decided"], n.ComplaintNumber, n.Booth, outcome)
			line(fmt.Sprintf(w["respondent_decided"], n.Booth, outcome))
		}
		if d := n.ComplaintDecision; d != nil {
			if len(d.Measures) > 0 {
				var ms []string
				for _, m := range d.Measures {
					ms = append(ms, word("measure_", m))
				}
				line(w["measures"] + strings.Join(ms, map[bool]string{true: "、", false: ", "}[zh]))
			}
			if d.Note != "" {
				line(d.Note)
			}
		}
	}
	return subject, body
}
