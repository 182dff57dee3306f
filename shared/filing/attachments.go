package filing

import "slices"

// Attachment roles (SPEC §5).
const (
	RoleDescription        = "description"
	RoleClaims             = "claims"
	RoleDrawings           = "drawings"
	RoleViews              = "views"
	RoleMarkImage          = "mark_image"
	RolePowerOfAttorney    = "power_of_attorney"
	RolePriorityDocument   = "priority_document"
	RoleExhibitionEvidence = "exhibition_evidence"
	RoleIDDocument         = "id_document"
)

// RoleLimit is what an attachment of one role may be.
type RoleLimit struct {
	Types    []string `json:"types"`    // content types, by content
	MaxBytes int64    `json:"maxBytes"` // largest size
	// MinSide and MaxSide bound each side of an image in pixels (0: no bound).
	MinSide int `json:"minSide,omitempty"`
	MaxSide int `json:"maxSide,omitempty"`
}

// DefaultRoleLimits are the CN e-filing limits: PDF documents up to 25 MB; design views PDF,
// JPEG or PNG up to 10 MB; the mark image a JPEG of at most 200 KB with each side 400–1500 px.
func DefaultRoleLimits() map[string]RoleLimit {
	pdf := RoleLimit{Types: []string{"application/pdf"}, MaxBytes: 25 << 20}
	return map[string]RoleLimit{
		RoleDescription: pdf, RoleClaims: pdf, RoleDrawings: pdf, RolePowerOfAttorney: pdf,
		RolePriorityDocument: pdf, RoleExhibitionEvidence: pdf, RoleIDDocument: pdf,
		RoleViews:     {Types: []string{"application/pdf", "image/jpeg", "image/png"}, MaxBytes: 10 << 20},
		RoleMarkImage: {Types: []string{"image/jpeg"}, MaxBytes: 200 << 10, MinSide: 400, MaxSide: 1500},
	}
}

// CheckAttachment judges an uploaded file of a role against its limit: by what was declared
// (type, size) and what the content is (sniffed type, pixel size). It returns "" when the file
// passes, mark_image_invalid for a mark image that breaks the mark rules, attachment_invalid
// otherwise.
func CheckAttachment(limits map[string]RoleLimit, role, declaredType string, declaredSize, size int64,
	sniffedType string, width, height int) string {
	lim, ok := limits[role]
	if !ok || size != declaredSize || sniffedType == "" || sniffedType != declaredType {
		return "attachment_invalid" // not what was declared (or no such role)
	}
	bad := "attachment_invalid"
	if role == RoleMarkImage {
		bad = "mark_image_invalid"
	}
	switch {
	case !slices.Contains(lim.Types, sniffedType), size > lim.MaxBytes,
		lim.MinSide > 0 && (width < lim.MinSide || height < lim.MinSide),
		lim.MaxSide > 0 && (width > lim.MaxSide || height > lim.MaxSide):
		return bad
	}
	return ""
}
