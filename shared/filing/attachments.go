package filing

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Attachment roles (SPEC §5).
const (
	RoleDescription        = "description"
	RoleClaims             = "claims"
	RoleDrawings           = "drawings"
	RoleViews              = "views"
	RoleMarkImage          = "mark_image"
	RoleSoundSample        = "sound_sample"
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
// JPEG or PNG up to 10 MB; the mark image a JPEG of at most 200 KB with each side 400–1500 px;
// a sound sample MP3 or WAV up to 5 MB.
func DefaultRoleLimits() map[string]RoleLimit {
	pdf := RoleLimit{Types: []string{"application/pdf"}, MaxBytes: 25 << 20}
	// A signed power of attorney, an ID card or a photo of the exhibit on the stand is often at
	// hand only on paper or on the stand: a photo of it (JPEG or PNG) is taken as well as a PDF.
	pdfOrPhoto := RoleLimit{Types: []string{"application/pdf", "image/jpeg", "image/png"}, MaxBytes: 25 << 20}
	return map[string]RoleLimit{
		RoleDescription: pdf, RoleClaims: pdf, RoleDrawings: pdf, RolePowerOfAttorney: pdfOrPhoto,
		RolePriorityDocument: pdf, RoleExhibitionEvidence: pdfOrPhoto, RoleIDDocument: pdfOrPhoto,
		RoleViews:     {Types: []string{"application/pdf", "image/jpeg", "image/png"}, MaxBytes: 10 << 20},
		RoleMarkImage: {Types: []string{"image/jpeg"}, MaxBytes: 200 << 10, MinSide: 400, MaxSide: 1500},
		// A sound mark's sample: MP3 or WAV of at most 5 MB.
		RoleSoundSample: {Types: []string{"audio/mpeg", "audio/wav"}, MaxBytes: 5 << 20},
		// The complaint desk's (SPEC §11): the right's certificate and the evidence, on paper or
		// photographed; photos of the exhibit on the stand.
		RoleRightCertificate: pdfOrPhoto, RoleEvidence: pdfOrPhoto,
		RoleExhibitPhoto: {Types: []string{"image/jpeg", "image/png"}, MaxBytes: 10 << 20},
	}
}

// contentTypeAliases are other names clients give the accepted content types.
var contentTypeAliases = map[string]string{
	"audio/mp3": "audio/mpeg", "audio/x-wav": "audio/wav", "audio/wave": "audio/wav",
	"audio/vnd.wave": "audio/wav", "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg",
}

// CanonicalContentType is the name ipfast uses for a declared content type.
func CanonicalContentType(t string) string {
	if c, ok := contentTypeAliases[t]; ok {
		return c
	}
	return t
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

// Upload is an upload slot of POST /v1/uploads: what the exhibitor declared, what checking the
// uploaded bytes found, and which filing uses it. An upload serves one filing only.
type Upload struct {
	ID   string `json:"id"`
	Expo string `json:"expo"`
	// Label names what a design's view shows (ViewLabels); other roles have none.
	Label       string    `json:"label,omitempty"`
	Exhibitor   string    `json:"exhibitor"`
	Role        string    `json:"role"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"createdAt"`
	// UsableUntil is when an upload no filing uses is forgotten (and its bytes deleted).
	UsableUntil time.Time `json:"usableUntil"`
	// Checked is the outcome of checking the uploaded bytes: "" before any check, CheckOK, or
	// the problem's code (attachment_invalid, mark_image_invalid).
	Checked string `json:"checked,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	// FilingID is the filing that uses the upload, once one does.
	FilingID string `json:"filingId,omitempty"`
}

// CheckOK is Upload.Checked for bytes that passed.
const CheckOK = "ok"

// UploadKey is where a client's bytes land; FiledKey is where they are kept once a filing uses
// them (uploads/ objects nobody files are deleted after a day: an S3 lifecycle rule, or the
// local server's sweep). Both are under the attachment's expo: each expo's attachments have
// their own part of the blob store (SPEC §14).
func UploadKey(expo, id string) string { return "uploads/" + expo + "/" + id }

// FiledKey is the blob key of an attachment of a filing of an expo.
func FiledKey(expo, id string) string { return "filings/" + expo + "/" + id }

// legacyKey is where a data dir or bucket of layout 1, before expos were tenants, kept the
// blob that key names now: "filings/<id>" for "filings/<expo>/<id>".
func legacyKey(key string) string {
	dir, rest, _ := strings.Cut(key, "/")
	_, id, _ := strings.Cut(rest, "/")
	return dir + "/" + id
}

// BlobKey is the key under which the blob that key names is stored: key itself, or, for an
// attachment uploaded before expos were tenants (layout 1), its key then. Blobs are never
// moved by an upgrade; they are found where they are.
func BlobKey(ctx context.Context, blobs Blobs, key string) (string, error) {
	_, err := blobs.Stat(ctx, key)
	if ErrorKind(err) != NotFound {
		return key, err
	}
	old := legacyKey(key)
	if _, err := blobs.Stat(ctx, old); err == nil {
		return old, nil
	}
	return key, err
}

// OpenBlob opens the blob that key names: under key, or, for an attachment uploaded before
// expos were tenants, under its key then. Only a miss costs the second look.
func OpenBlob(ctx context.Context, blobs Blobs, key string) (io.ReadCloser, error) {
	rc, err := blobs.Open(ctx, key)
	if ErrorKind(err) == NotFound {
		if old, err2 := blobs.Open(ctx, legacyKey(key)); err2 == nil {
			return old, nil
		}
	}
	return rc, err
}

// CopyBlob copies the blob that from names (as OpenBlob finds it) to the key to.
func CopyBlob(ctx context.Context, blobs Blobs, from, to string) error {
	err := blobs.Copy(ctx, from, to)
	if ErrorKind(err) == NotFound {
		if err2 := blobs.Copy(ctx, legacyKey(from), to); err2 == nil {
			return nil
		}
	}
	return err
}

// BlobKeys are every key an attachment's blobs may have (for deleting them).
func BlobKeys(expo, id string) []string {
	up, filed := UploadKey(expo, id), FiledKey(expo, id)
	return []string{up, filed, legacyKey(up), legacyKey(filed)}
}

// Document is an attachment as a filing lists it.
type Document struct {
	ID          string `json:"id"`
	Role        string `json:"role"`
	Label       string `json:"label,omitempty"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// DocumentOf is the listing of an upload.
func DocumentOf(u Upload) Document {
	return Document{ID: u.ID, Role: u.Role, Label: u.Label, ContentType: u.ContentType, Size: u.Size, SHA256: u.SHA256}
}

// CodeAttachmentUnknown is what a store answers when a filing names an upload that does not
// exist, is another exhibitor's or serves another filing.
const CodeAttachmentUnknown = "attachment_unknown"

// ErrUploadTaken is returned (wrapped) by Store.Create and Store.Update when a document of the
// filing names an upload it may not use: an Invalid error with code attachment_unknown, which
// errors.As also finds as an *UploadTakenError naming the upload.
func ErrUploadTaken(id string) error {
	return &UploadTakenError{ID: id, err: Errorf(Invalid, CodeAttachmentUnknown,
		"upload %s does not exist or is not available to this filing", id)}
}

// UploadTakenError names the upload of an ErrUploadTaken.
type UploadTakenError struct {
	ID  string
	err error
}

func (e *UploadTakenError) Error() string { return e.err.Error() }

// Unwrap makes ErrorKind and ErrorCode see the Invalid attachment_unknown error.
func (e *UploadTakenError) Unwrap() error { return e.err }

// NewDocuments are the ids of the documents of f that old does not list, each once: the
// uploads a store claims when it writes f over old (over the zero Filing when creating f).
func NewDocuments(old, f Filing) []string {
	had := map[string]bool{}
	for _, doc := range old.Documents {
		had[doc.ID] = true
	}
	var ids []string
	for _, doc := range f.Documents {
		if !had[doc.ID] {
			had[doc.ID] = true
			ids = append(ids, doc.ID)
		}
	}
	return ids
}

// DownloadLink is a short-lived link to an attachment of a filing.
type DownloadLink struct {
	Document
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
}

// LinkTo makes a link to the attachment att of f in blobs (nil: none), valid for ttl from now;
// NotFound if f has no such document. Who may have it is the caller's question.
func LinkTo(ctx context.Context, blobs Blobs, e *Expo, f Filing, att string, now time.Time, ttl time.Duration) (DownloadLink, error) {
	doc, ok := f.Document(att)
	if !ok {
		return DownloadLink{}, Errorf(NotFound, CodeNotFound, "no such attachment")
	}
	return LinkToDocument(ctx, blobs, e, doc, now, ttl)
}

// LinkToDocument returns a link to a kept document of expo e, valid for ttl.
func LinkToDocument(ctx context.Context, blobs Blobs, e *Expo, doc Document, now time.Time, ttl time.Duration) (DownloadLink, error) {
	if blobs == nil {
		return DownloadLink{}, Errorf(NotFound, CodeNotFound, "no such attachment")
	}
	key, err := BlobKey(ctx, blobs, FiledKey(e.ID, doc.ID))
	if err != nil {
		return DownloadLink{}, fmt.Errorf("download %s: %w", doc.ID, err)
	}
	u, err := blobs.DownloadURL(ctx, key, ttl)
	if err != nil {
		return DownloadLink{}, fmt.Errorf("download %s: %w", doc.ID, err)
	}
	return DownloadLink{Document: doc, URL: u, ExpiresAt: e.Stamp(now.Add(ttl))}, nil
}

// ViewLabels are what a design's view may be labelled with: the six orthographic views, the
// perspective view and a reference view (CNIPA's 外观设计视图: 主视图, 后视图, 左视图, 右视图,
// 俯视图, 仰视图, 立体图, 参考图).
var ViewLabels = []string{"front", "rear", "left", "right", "top", "bottom", "perspective", "reference"}
