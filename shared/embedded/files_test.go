package embedded_test

import (
	"net/http/httptest"
	"testing"

	"github.com/ipfast/ipfast/shared/blobtest"
	"github.com/ipfast/ipfast/shared/embedded"
)

func TestFilesConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		var files *embedded.Files
		srv := httptest.NewServer(nil)
		t.Cleanup(srv.Close)
		var err error
		files, err = embedded.OpenFiles(t.TempDir(), srv.URL+"/blobs", []byte("blob-secret"), nil)
		if err != nil {
			t.Fatal(err)
		}
		srv.Config.Handler = files.Handler()
		return blobtest.Harness{Blobs: files, EnforcesUpload: true}
	})
}

func TestFilesRefuseKeysOutsideTheStore(t *testing.T) {
	files, err := embedded.OpenFiles(t.TempDir(), "http://127.0.0.1/blobs", []byte("s"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../etc/passwd", "uploads/../../x", "/abs", "uploads//x", ""} {
		if err := files.Copy(t.Context(), "uploads/a", key); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}
