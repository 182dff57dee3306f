package storetest

import (
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// RunAudit runs the audit log section of the suite (SPEC §13: every export is an audit event):
// entries come back newest first, at most the limit asked, each expo its own.
func RunAudit(t *testing.T, newLog func(t *testing.T) filing.AuditLog) {
	t.Run("AuditTrail", func(t *testing.T) {
		log := newLog(t)
		var ids []string
		for i := 0; i < 5; i++ {
			now := nextInstant()
			e := filing.AuditEntry{ID: filing.NewID("aud_", now), Expo: Expo, At: now.Format(time.RFC3339), Actor: "supervisor-1",
				Role: "supervisor", Action: "export", Filter: map[string]string{"format": "csv", "state": "accepted"}, Count: i}
			if err := log.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		if err := log.AppendAudit(ctx, filing.AuditEntry{ID: filing.NewID("aud_", nextInstant()), Expo: "OTHER", Action: "export"}); err != nil {
			t.Fatal(err)
		}
		got, err := log.AuditTrail(ctx, Expo, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != ids[4] || got[2].ID != ids[2] || got[0].Count != 4 || got[0].Filter["state"] != "accepted" || got[0].Actor != "supervisor-1" {
			t.Errorf("trail: %+v", got)
		}
		if all, _ := log.AuditTrail(ctx, Expo, 100); len(all) != 5 {
			t.Errorf("%d entries, want 5", len(all))
		}
		if none, err := log.AuditTrail(ctx, "NONE", 10); err != nil || len(none) != 0 {
			t.Errorf("an expo without entries: %v %v", none, err)
		}
	})
}
