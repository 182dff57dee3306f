package notify

// The words of the messages, in English and Chinese (as the pages say them: web/kiosk/i18n.js).
var en = map[string]string{
	"dear":              "Dear ",
	"comma":             ",",
	"subjectFiled":      "Filing %s received",
	"filed":             "Your filing at the %s was received. Keep this message: the filing number and filing date are your proof of filing.",
	"number":            "Filing number: ",
	"filingDate":        "Filing date: ",
	"filedAt":           "Filed at: ",
	"subject":           "Mark or title: ",
	"due":               "Still to send by ",
	"subjectCorrection": "Filing %s: correction requested",
	"correction":        "The examiner asks you to correct filing %s by %s:",
	"subjectReminder":   "Filing %s: 3 days left to answer (by %s)",
	"reminder":          "Reminder: the correction requested on filing %s is due by %s.",
	"amend":             "Answer from your booth's kiosk (My filings) or through your agent.",
	"subjectDecided":    "Filing %s: %s",
	"decided":           "Filing %s has been decided: %s.",
	"outcome_accept":    "accepted",
	"outcome_reject":    "refused",
	"outcome_":          "decided",
	"subjectWithdrawn":  "Filing %s: deemed withdrawn",
	"withdrawn":         "Filing %s is deemed withdrawn: the correction requested was not made by %s.",
	"status":            "Its status, any time: ",
	"unsubscribe":       "No more reminders: ",
}

var zh = map[string]string{
	"dear":              "尊敬的",
	"comma":             "：",
	"subjectFiled":      "申请%s已受理",
	"filed":             "您在%s提交的申请已收到。请保存本邮件：申请号和申请日是您提交申请的凭证。",
	"number":            "申请号：",
	"filingDate":        "申请日：",
	"filedAt":           "提交时间：",
	"subject":           "商标或名称：",
	"due":               "尚需提交，截止",
	"subjectCorrection": "申请%s：需补正",
	"correction":        "审查员要求您在%[2]s前补正申请%[1]s：",
	"subjectReminder":   "申请%s：距补正截止还有3天（%s）",
	"reminder":          "提醒：申请%s的补正截止日期为%s。",
	"amend":             "请通过本展位终端的“我的申请”或您的代理机构答复。",
	"subjectDecided":    "申请%s：%s",
	"decided":           "申请%s已作出决定：%s。",
	"outcome_accept":    "受理",
	"outcome_reject":    "不予受理",
	"outcome_":          "已决定",
	"subjectWithdrawn":  "申请%s：视为撤回",
	"withdrawn":         "申请%s视为撤回：未在%s前补正。",
	"status":            "随时查看申请状态：",
	"unsubscribe":       "不再接收提醒：",
}

func words(chinese bool) map[string]string {
	if chinese {
		return zh
	}
	return en
}

// reasons are the decision reasons in words (web/kiosk/i18n.js reason_*).
var reasons = map[string][2]string{
	"document_missing":               {"A document is missing", "缺少文件"},
	"class_term_unacceptable":        {"A class or term is not acceptable", "类别或商品服务项目不规范"},
	"mark_unclear":                   {"The mark is not clear", "商标图样不清晰"},
	"applicant_data_incomplete":      {"Applicant data is incomplete", "申请人信息不完整"},
	"agent_missing":                  {"An agency is required", "须委托代理机构"},
	"priority_evidence_missing":      {"Priority evidence is missing", "缺少优先权证明"},
	"claims_unclear":                 {"The claims are not clear", "权利要求书不清楚"},
	"drawings_unclear":               {"The drawings are not clear", "附图不清楚"},
	"views_unclear":                  {"The views do not show the design clearly", "视图未清楚显示外观设计"},
	"brief_description_insufficient": {"The brief description does not meet the rules", "简要说明不符合规定"},
	"other":                          {"Other", "其他"},
}

func reasonText(code string, chinese bool) string {
	r, ok := reasons[code]
	if !ok {
		return code
	}
	if chinese {
		return r[1]
	}
	return r[0]
}
