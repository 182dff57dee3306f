package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/sniff"
	"github.com/ipfast/ipfast/shared/validate"
)

// UploadRequest is the body of POST /v1/uploads: what the exhibitor is about to upload.
type UploadRequest struct {
	Role        string `json:"role"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Label names what a view shows (filing.ViewLabels); only views take one.
	Label string `json:"label,omitempty"`
}

// UploadSlot is the answer to POST /v1/uploads: the attachment id and how to send the bytes.
type UploadSlot struct {
	ID        string              `json:"id"`
	Upload    filing.UploadTarget `json:"upload"`
	ExpiresAt string              `json:"expiresAt"`
}

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

// CreateUpload opens an upload slot for the calling kiosk: an attachment id and a target that
// takes exactly the declared bytes for UploadTTL. A declaration that breaks the role's limits
// is refused here, before any byte crosses the hall's Wi-Fi; the bytes themselves are checked
// when a filing first names the id.
func (s *Service) CreateUpload(ctx context.Context, p filing.Principal, req UploadRequest) (UploadSlot, error) {
	s, err := s.uploader(p)
	if err != nil {
		return UploadSlot{}, err
	}
	owner := filing.Uploader(p)
	if s.Blobs == nil {
		return UploadSlot{}, fmt.Errorf("intake: no blob store: uploads are not configured")
	}
	req.SHA256 = strings.ToLower(req.SHA256)
	req.ContentType = filing.CanonicalContentType(req.ContentType)
	var probs []filing.Problem
	lim, known := s.Expo.Attachments[req.Role]
	bad := "attachment_invalid"
	if req.Role == filing.RoleMarkImage {
		bad = "mark_image_invalid"
	}
	switch {
	case req.Role == "":
		probs = append(probs, validate.NewProblem("/role", "required", ""))
	case !known:
		probs = append(probs, validate.NewProblem("/role", "invalid_enum", ""))
	}
	switch {
	case req.Label == "":
	case req.Role != filing.RoleViews:
		probs = append(probs, validate.NewProblem("/label", "not_allowed", ""))
	case !slices.Contains(filing.ViewLabels, req.Label):
		probs = append(probs, validate.NewProblem("/label", "invalid_enum", strings.Join(filing.ViewLabels, ", ")))
	}
	switch {
	case req.ContentType == "":
		probs = append(probs, validate.NewProblem("/contentType", "required", ""))
	case known && !slices.Contains(lim.Types, req.ContentType):
		probs = append(probs, validate.NewProblem("/contentType", bad, ""))
	}
	switch {
	case req.Size <= 0:
		probs = append(probs, validate.NewProblem("/size", "required", ""))
	case known && req.Size > lim.MaxBytes:
		probs = append(probs, validate.NewProblem("/size", bad, ""))
	}
	switch {
	case req.SHA256 == "":
		probs = append(probs, validate.NewProblem("/sha256", "required", ""))
	case !sha256Re.MatchString(req.SHA256):
		probs = append(probs, validate.NewProblem("/sha256", "invalid_format", ""))
	}
	if len(probs) > 0 {
		return UploadSlot{}, validate.Error(probs)
	}
	// The quota (SPEC §3): one exhibitor's declarations are counted one at a time in this
	// process; across processes (Lambda instances) those of the same instant may overshoot it
	// by as many as run at once, which the rate limit bounds.
	unlock := s.lockExhibitor(owner)
	defer unlock()
	now := s.Clock.Now()
	n, pending, err := s.Store.PendingUploads(ctx, s.Expo.ID, owner, now)
	if err != nil {
		return UploadSlot{}, fmt.Errorf("intake: pending uploads: %w", err)
	}
	if q := s.Expo.Limits; n+1 > q.UploadsPending || pending+req.Size > q.UploadBytesPending {
		return UploadSlot{}, filing.Errorf(filing.RateLimited, filing.CodeUploadQuota,
			"%d uploads (%d bytes) wait to be used by a filing; at most %d uploads or %d bytes may wait at a time: "+
				"file them, or let unused ones lapse after a day", n, pending, q.UploadsPending, q.UploadBytesPending)
	}
	u := filing.Upload{ID: filing.NewID("att_", now), Expo: s.Expo.ID, Exhibitor: owner, Role: req.Role, Label: req.Label,
		ContentType: req.ContentType, Size: req.Size, SHA256: req.SHA256, CreatedAt: now.UTC(),
		UsableUntil: now.Add(s.UploadKeep).UTC()}
	target, err := s.Blobs.UploadTarget(ctx, filing.UploadKey(u.Expo, u.ID), u.ContentType, u.Size, u.SHA256, s.UploadTTL)
	if err != nil {
		return UploadSlot{}, fmt.Errorf("intake: upload target: %w", err)
	}
	if err := s.Store.CreateUpload(ctx, u); err != nil {
		return UploadSlot{}, fmt.Errorf("intake: create upload: %w", err)
	}
	return UploadSlot{ID: u.ID, Upload: target, ExpiresAt: s.stamp(now.Add(s.UploadTTL))}, nil
}

// uploads are the uploads a request names that it may use, checked: the exhibitor's own, not
// forgotten, uploaded, and used by no filing but own ("" for a new filing). Ids missing from
// the result are attachment_unknown.
func (s *Service) uploads(ctx context.Context, exhibitor, own string, ids []string) (map[string]filing.Upload, error) {
	out := map[string]filing.Upload{}
	if s.Blobs == nil {
		return out, nil
	}
	now := s.Clock.Now()
	if len(ids) > validate.MaxLookups {
		ids = ids[:validate.MaxLookups] // a longer list is refused; its tail is never looked up
	}
	for _, id := range ids {
		if _, seen := out[id]; seen || id == "" {
			continue
		}
		u, err := s.Store.GetUpload(ctx, s.Expo.ID, id)
		if filing.ErrorKind(err) == filing.NotFound {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("intake: upload %s: %w", id, err)
		}
		usable := u.FilingID == "" && now.Before(u.UsableUntil) || u.FilingID != "" && u.FilingID == own
		if u.Exhibitor != exhibitor || !usable {
			continue
		}
		if u.Checked == "" {
			checked, err := s.checkBytes(ctx, u)
			if err != nil {
				return nil, err
			}
			if checked.Checked == "" {
				continue // not uploaded (yet)
			}
			u = checked
		}
		out[id] = u
	}
	return out, nil
}

// checkBytes reads an upload's bytes and judges them against the declaration and the role's
// limits: size and SHA-256 as declared, type by content, image sides. The outcome is stored,
// so the bytes are read once. An upload whose bytes have not arrived comes back unchecked.
func (s *Service) checkBytes(ctx context.Context, u filing.Upload) (filing.Upload, error) {
	rc, err := filing.OpenBlob(ctx, s.Blobs, filing.UploadKey(u.Expo, u.ID))
	if filing.ErrorKind(err) == filing.NotFound {
		return u, nil
	}
	if err != nil {
		return u, fmt.Errorf("intake: read upload %s: %w", u.ID, err)
	}
	defer rc.Close()
	h := sha256.New()
	head := &headWriter{max: 64 << 10}
	n, err := io.Copy(io.MultiWriter(h, head), io.LimitReader(rc, u.Size+1))
	if err != nil {
		return u, fmt.Errorf("intake: read upload %s: %w", u.ID, err)
	}
	info := sniff.InspectBytes(head.b)
	code := filing.CheckAttachment(s.Expo.Attachments, u.Role, u.ContentType, u.Size, n, info.Type, info.Width, info.Height)
	if code == "" && hex.EncodeToString(h.Sum(nil)) != u.SHA256 {
		code = "attachment_invalid"
	}
	if code == "" {
		code = filing.CheckOK
	}
	if err := s.Store.RecordCheck(ctx, u.ID, code, info.Width, info.Height); err != nil {
		return u, fmt.Errorf("intake: record check of upload %s: %w", u.ID, err)
	}
	u.Checked, u.Width, u.Height = code, info.Width, info.Height
	return u, nil
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	b   []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// documents lists the attachments of r, in its order.
func documents(r *filing.Request, ups map[string]filing.Upload) []filing.Document {
	var docs []filing.Document
	for _, id := range r.Attachments {
		if u, ok := ups[id]; ok {
			docs = append(docs, filing.DocumentOf(u))
		}
	}
	return docs
}

// keep copies the bytes of the uploads a filing is about to use from uploads/ (which forgets
// them after a day) to filings/, before the filing is stored: once it is, its files are safe.
// Uploads the filing already uses are there already.
func (s *Service) keep(ctx context.Context, own string, ups map[string]filing.Upload) error {
	for id, u := range ups {
		if u.FilingID != "" && u.FilingID == own {
			continue
		}
		if err := filing.CopyBlob(ctx, s.Blobs, filing.UploadKey(u.Expo, id), filing.FiledKey(u.Expo, id)); err != nil {
			return fmt.Errorf("intake: keep upload %s: %w", id, err)
		}
	}
	return nil
}

// Download returns a link to an attachment of one of the calling kiosk's filings; another
// exhibitor's attachment does not exist (NotFound). (The lease holder's is review.Download.)
func (s *Service) Download(ctx context.Context, p filing.Principal, id, attachment string) (filing.DownloadLink, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	f, err := s.Store.Get(ctx, s.Expo.ID, id)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	if f.Exhibitor != p.Exhibitor {
		return filing.DownloadLink{}, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no such attachment")
	}
	return filing.LinkTo(ctx, s.Blobs, s.Expo, f, attachment, s.Clock.Now(), s.DownloadTTL)
}

// UploadForgetter is a store that forgets uploads no filing used itself (the embedded store;
// DynamoDB expires them by TTL, and S3 deletes their bytes by a lifecycle rule).
type UploadForgetter interface {
	ForgetUploads(now time.Time) ([]filing.Upload, error)
}

// SweepUploads forgets the uploads no filing used within UploadKeep and deletes their bytes,
// when the store is an UploadForgetter. It returns how many it forgot.
func (s *Service) SweepUploads(ctx context.Context) (int, error) {
	fg, ok := s.Store.(UploadForgetter)
	if !ok || s.Blobs == nil {
		return 0, nil
	}
	gone, err := fg.ForgetUploads(s.Clock.Now())
	if err != nil {
		return 0, fmt.Errorf("intake: forget uploads: %w", err)
	}
	for _, u := range gone {
		for _, key := range filing.BlobKeys(u.Expo, u.ID) {
			if err := s.Blobs.Delete(ctx, key); err != nil {
				return 0, fmt.Errorf("intake: delete upload %s: %w", u.ID, err)
			}
		}
	}
	return len(gone), nil
}

// Upload timings: an upload URL is valid for 15 minutes, an upload no filing uses is kept a
// day, a download link lives 5 minutes.
const (
	DefaultUploadTTL   = 15 * time.Minute
	DefaultUploadKeep  = 24 * time.Hour
	DefaultDownloadTTL = 5 * time.Minute
)

// lockExhibitor serialises work on one exhibitor's uploads in this process.
func (s *Service) lockExhibitor(exhibitor string) func() {
	m, _ := s.exhibitorLocks.LoadOrStore(s.Expo.ID+"\x00"+exhibitor, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// uploader is the service of p's expo when p may upload: a kiosk (for its filings and
// complaints), an officer or a supervisor (for the complaints of walk-in rights holders).
func (s *Service) uploader(p filing.Principal) (*Service, error) {
	switch {
	case p.Role == filing.RoleKiosk && p.Exhibitor != "", p.Role == filing.RoleOfficer, p.Role == filing.RoleSupervisor:
		return s.For(p.Expo)
	}
	return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "your role may not upload")
}

// OwnUploads are the uploads p names for something other than a filing (a complaint, an
// exhibit), checked as a filing's are: p's own (filing.Uploader), uploaded, and used by nothing
// but own ("" for something new). Ids missing from the result are attachment_unknown.
func (s *Service) OwnUploads(ctx context.Context, p filing.Principal, own string, ids []string) (map[string]filing.Upload, error) {
	s, err := s.uploader(p)
	if err != nil {
		return map[string]filing.Upload{}, nil
	}
	return s.uploads(ctx, filing.Uploader(p), own, ids)
}

// KeepUploads copies the bytes of uploads a complaint or an exhibit is about to use to where
// they last, as a filing's are kept, before it is stored.
func (s *Service) KeepUploads(ctx context.Context, own string, ups map[string]filing.Upload) error {
	return s.keep(ctx, own, ups)
}

// DocumentLink returns a download link to a kept document of expo (a complaint's, an
// exhibit's; who may see it is the caller's to judge).
func (s *Service) DocumentLink(ctx context.Context, expo string, doc filing.Document) (filing.DownloadLink, error) {
	s, err := s.For(expo)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	return filing.LinkToDocument(ctx, s.Blobs, s.Expo, doc, s.Clock.Now(), s.DownloadTTL)
}
