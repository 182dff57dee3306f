package validate

import (
	"strconv"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
)

// Codes of SPEC §6 (and the warnings), each with its English and Chinese message. {n} stands
// for the rule's parameter (a length, a limit).
var messages = map[string][2]string{
	"required":       {"This field is required", "此项为必填项"},
	"invalid_format": {"The value is not in the expected format", "格式不正确"},
	// Enrolment (SPEC §18).
	"setup_code_invalid":              {"This set-up code is used, expired or unknown: ask the organiser's desk for a new one", "此设置码已使用、已过期或无效：请向主办方服务台索取新的设置码"},
	"token_revoked":                   {"This device or person was revoked by the organiser: set it up again with a new code", "此设备或人员已被主办方停用：请用新的设置码重新设置"},
	"too_long":                        {"Too long: at most {n}", "过长：最多{n}"},
	"not_allowed":                     {"This field is not allowed for this kind or type of filing", "此类申请不允许填写此项"},
	"invalid_enum":                    {"Must be one of: {n}", "必须是以下之一：{n}"},
	"country_code_invalid":            {"Not an ISO 3166-1 alpha-2 country code (or, for a priority office, a WIPO ST.3 code EP, EM, WO, IB, OA, AP, EA, GC)", "不是有效的ISO 3166-1两位国家代码（优先权受理局也可为WIPO ST.3代码EP、EM、WO、IB、OA、AP、EA、GC）"},
	"date_invalid":                    {"Not a real date in YYYY-MM-DD form", "不是YYYY-MM-DD格式的有效日期"},
	"claims_required":                 {"Invention and utility model patents need at least one claim", "发明和实用新型专利至少需要一项权利要求"},
	"drawings_required":               {"A utility model needs a drawings attachment", "实用新型专利必须提交说明书附图"},
	"views_required":                  {"A design needs at least one views attachment", "外观设计专利至少需要提交一幅视图"},
	"locarno_class_invalid":           {"Locarno class must be cc-ss with cc 01-32 and ss 00-99", "洛迦诺分类号必须为cc-ss格式，cc为01至32，ss为00至99"},
	"nice_class_range":                {"Nice class must be between 1 and 45", "尼斯分类号必须在1至45之间"},
	"duplicate_class":                 {"This Nice class is listed more than once", "该尼斯分类重复列出"},
	"terms_required":                  {"Each class needs at least one non-empty term", "每个类别至少需要一个非空的商品或服务项目"},
	"mark_text_required":              {"Word and combined marks need the mark text", "文字商标和组合商标必须填写商标文字"},
	"mark_image_required":             {"This mark type needs a mark_image attachment", "此类商标必须提交商标图样"},
	"mark_image_invalid":              {"The mark image must be a JPEG of at most 200 KB with each side between 400 and 1500 px", "商标图样必须为JPEG格式，不超过200KB，边长在400至1500像素之间"},
	"color_claim_required":            {"Color marks need a color claim", "颜色组合商标必须声明颜色"},
	"agent_required":                  {"The first-named applicant is neither a national of mainland China nor domiciled there: an agency is required", "第一署名申请人既非中国内地国民，在中国内地也无经常居所或营业所，必须委托依法设立的代理机构"},
	"priority_expired":                {"The priority period has expired before the filing date", "优先权期限已在申请日之前届满"},
	"priority_date_in_future":         {"The priority date is after the filing date", "优先权日晚于申请日"},
	"exhibition_unknown":              {"This exhibition is not a configured exhibition", "该展会不是已登记的展会"},
	"exhibition_not_qualifying":       {"This exhibition is not sponsored or recognised by the government", "该展会不是政府主办或承认的国际展览会"},
	"exhibition_window_expired":       {"More than 6 months have passed since the first display", "自首次展出之日起已超过六个月"},
	"exhibition_date_outside_expo":    {"The first display date is not within the exhibition's dates", "首次展出日期不在展会举办期间内"},
	"brief_description_required":      {"A design needs a brief description", "外观设计专利必须提交简要说明"},
	"exhibition_date_in_future":       {"The first display date is after the filing date", "首次展出日期晚于申请日"},
	"exhibition_goods_only":           {"An exhibition priority claim needs goods shown at the exhibition: every class here is a service class (35-45)", "展会优先权仅适用于在展会展出的商品：所列类别均为服务类别（35至45类）"},
	"exhibition_certificate_mismatch": {"The exhibition certificate is unknown, revoked, of another exhibitor, or does not match this claim", "展会证明不存在、已撤销、属于其他参展商，或与本声明不符"},
	"sound_sample_required":           {"A sound mark needs a sound_sample attachment (MP3 or WAV, at most 5 MB)", "声音商标必须提交声音样本（MP3或WAV格式，不超过5MB）"},
	"invalid_characters":              {"The text holds a control, bidirectional or zero-width character", "文本中含有控制字符、双向控制字符或零宽字符"},
	"claims_over_10":                  {"More than 10 claims: each further claim costs an extra fee", "权利要求超过10项，超出部分另行收费"},
	"priority_restoration_requested":  {"The priority period has ended: restoration of the right of priority is requested, with its fee", "优先权期限已届满：已请求恢复优先权，需缴纳恢复费"},
	"mixed_script":                    {"Latin letters are mixed with Cyrillic or Greek look-alikes", "拉丁字母与形近的西里尔或希腊字母混用"},
	"attachment_unknown":              {"No such uploaded attachment for this exhibitor", "该附件不存在或不属于本参展商"},
	"attachment_invalid":              {"The uploaded file does not match its declared size, checksum or type", "上传文件与声明的大小、校验值或类型不符"},
	"similar_filing_unknown":          {"No other trademark filing of this expo has this id", "本展会没有该编号的其他商标申请"},
	"title_long":                      {"Titles over 25 characters are usually refused as too long", "名称超过25个字，通常会被要求修改"},
	"abstract_long":                   {"The abstract is over 300 characters", "摘要超过300字"},
	"terms_over_10":                   {"More than 10 terms in this class: each further term costs an extra fee", "本类别超过10个项目，超出部分另行收费"},
	// The complaint desk (SPEC §11).
	filing.CodeRightCertificateRequired: {"A complaint needs the certificate of the right (a right_certificate attachment)", "投诉须提交权利证明（right_certificate附件）"},
	"power_of_attorney_required":        {"An agent acts: a power of attorney is required", "委托代理的，须提交授权委托书"},
	filing.CodeRightNotInForce:          {"The right is no longer in force", "该权利已不在有效期内"},
	filing.CodeProceedingsPending:       {"The patent is in invalidation, litigation or an ownership dispute: the desk does not take the complaint", "该专利正处于无效宣告、诉讼或权属纠纷程序中，投诉站不予受理"},
	filing.CodeRespondentUnknown:        {"No exhibitor of this expo is at this booth", "本届展会没有参展商在该展位"},
	filing.CodeExhibitRequired:          {"Name at least one exhibit said to infringe", "请至少列出一件涉嫌侵权的展品"},
	filing.CodeMalformedJSON:            {"The body is not valid JSON", "请求体不是有效的JSON"},
	filing.CodeUnknownField:             {"Unknown field", "未知字段"},
	filing.CodeInvalidEncoding:          {"The body is not valid UTF-8", "请求体不是有效的UTF-8编码"},
	filing.CodeDuplicateKey:             {"The same key appears twice in one object", "同一对象中出现重复的键"},
	filing.CodeRateLimited:              {"Too many requests: wait and try again", "请求过于频繁，请稍后重试"},
	filing.CodeUploadQuota:              {"Too many uploads waiting to be used: file or wait before uploading more", "待使用的上传文件过多，请先提交申请或稍后再上传"},
	filing.CodeIdempotencyReused:        {"This Idempotency-Key was already used with a different body", "该幂等键已用于不同的请求内容"},
	filing.CodeIdempotencyRequired:      {"The Idempotency-Key header (1-128 characters) is required", "必须提供Idempotency-Key请求头（1至128个字符）"},
	filing.CodeUnauthorized:             {"A valid bearer token is required", "需要有效的访问令牌"},
	filing.CodeForbidden:                {"Your role may not do this", "您的角色无权执行此操作"},
	filing.CodeNotFound:                 {"Not found", "未找到"},
	filing.CodeInvalidTransition:        {"The filing's current state does not allow this", "该申请当前状态不允许此操作"},
	filing.CodeVersionConflict:          {"The filing was changed meanwhile; reload and try again", "该申请已被修改，请刷新后重试"},
	filing.CodeLeaseLost:                {"The lease is no longer held", "审查租约已失效"},
	filing.CodeQueueNotFound:            {"No such queue", "队列不存在"},
	filing.CodeBodyTooLarge:             {"The request body is over 256 KiB", "请求体超过256KiB"},
	filing.CodeUnsupportedMediaType:     {"The request body must be JSON (Content-Type: application/json)", "请求体必须为JSON（Content-Type: application/json）"},
	"method_not_allowed":                {"This method is not allowed here", "不支持此请求方法"},
	"not_acceptable":                    {"None of the accepted media types can be produced", "无法提供所请求的媒体类型"},
}

// Known reports whether code has messages.
func Known(code string) bool {
	_, ok := messages[code]
	return ok
}

// Codes lists every code that has messages: the codes this package can produce.
func Codes() []string {
	out := make([]string, 0, len(messages))
	for c := range messages {
		out = append(out, c)
	}
	return out
}

// NewProblem builds a problem with the messages of its code.
func NewProblem(field, code, param string) filing.Problem {
	m, ok := messages[code]
	if !ok {
		m = messages["invalid_format"]
	}
	en, zh := m[0], m[1]
	if param != "" {
		en = strings.ReplaceAll(en, "{n}", param)
		zh = strings.ReplaceAll(zh, "{n}", param)
	}
	return filing.Problem{Field: field, Code: code, Message: en, MessageZh: zh}
}

// Error is the validation error (Invalid, code "validation") listing ps: at most MaxProblems
// of them, its message saying how many there were.
func Error(ps []filing.Problem) error {
	n := strconv.Itoa(len(ps)) + " problems"
	switch {
	case len(ps) == 1:
		n = "1 problem"
	case len(ps) > MaxProblems:
		n += " (the first " + strconv.Itoa(MaxProblems) + " listed)"
		ps = ps[:MaxProblems]
	}
	return &filing.Error{Kind: filing.Invalid, Code: "validation", Message: n, Problems: ps}
}
