package filing

// The follow-up deadlines of a filing (SPEC §12): what the applicant must still send after
// filing, and by when. Each runs from a date by whole months (the period rule of SPEC §6: the
// same day-of-month, or that month's last day) and is extended to the next working day.

// FollowUp is one deadline of a filing.
type FollowUp struct {
	Kind    string `json:"kind"` // exhibition_evidence | priority_documents
	Due     string `json:"due"`
	Basis   string `json:"basis"`
	BasisZh string `json:"basisZh"`
}

// The kinds of follow-up deadlines.
const (
	FollowUpExhibitionEvidence = "exhibition_evidence"
	FollowUpPriorityDocuments  = "priority_documents"
)

// FollowUps lists f's follow-up deadlines under the office calendar of e, soonest first:
//   - exhibition_evidence, for an exhibition claim without a certificate: the filing date + 2
//     months for a patent (Implementing Regulations of the Patent Law), + 3 months for a
//     trademark (Trademark Law Art. 26);
//   - priority_documents, for a priority claim: 16 months from the earliest priority date for
//     an invention or utility model, 3 months from the filing date for a design (Patent Law
//     Art. 30), 3 months from the filing date for a trademark (Trademark Law Art. 25).
//
// None is an empty list, never nil.
func (e *Expo) FollowUps(f Filing) []FollowUp {
	out := []FollowUp{}
	filed, err := ParseDate(f.FilingDate)
	if err != nil {
		return out
	}
	trademark := f.Kind == KindTrademark
	design := f.Patent != nil && f.Patent.Type == PatentDesign
	if x := f.Exhibition; x != nil && x.Certificate == "" {
		if trademark {
			out = append(out, FollowUp{FollowUpExhibitionEvidence, e.calendar.PeriodEnd(filed, 3).String(),
				"Trademark Law Art. 26: the exhibition's certificate of first display within 3 months of filing",
				"商标法第二十六条：自申请日起三个月内提交展出证明文件"})
		} else {
			out = append(out, FollowUp{FollowUpExhibitionEvidence, e.calendar.PeriodEnd(filed, 2).String(),
				"Patent Law Art. 24(2) and its Implementing Regulations: the exhibition's certificate of first display within 2 months of filing",
				"专利法第二十四条及其实施细则：自申请日起二个月内提交展出证明文件"})
		}
	}
	var earliest Date
	for _, p := range f.PriorityClaims {
		if d, err := ParseDate(p.Date); err == nil && (earliest == Date{} || d.Before(earliest)) {
			earliest = d
		}
	}
	if earliest != (Date{}) {
		switch {
		case trademark:
			out = append(out, FollowUp{FollowUpPriorityDocuments, e.calendar.PeriodEnd(filed, 3).String(),
				"Trademark Law Art. 25: a copy of the earlier application within 3 months of filing",
				"商标法第二十五条：自申请日起三个月内提交在先申请文件副本"})
		case design:
			out = append(out, FollowUp{FollowUpPriorityDocuments, e.calendar.PeriodEnd(filed, 3).String(),
				"Patent Law Art. 30: a copy of the earlier application within 3 months of filing (designs)",
				"专利法第三十条：外观设计自申请日起三个月内提交在先申请文件副本"})
		default:
			out = append(out, FollowUp{FollowUpPriorityDocuments, e.calendar.PeriodEnd(earliest, 16).String(),
				"Patent Law Art. 30: a copy of the earlier application within 16 months of the earliest priority date",
				"专利法第三十条：自最早优先权日起十六个月内提交在先申请文件副本"})
		}
	}
	if len(out) == 2 && out[1].Due < out[0].Due {
		out[0], out[1] = out[1], out[0]
	}
	return out
}
