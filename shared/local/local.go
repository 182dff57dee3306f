// Package local is the composition root of the local deployment, `ipfast serve`: from a data
// dir, the expo configuration and the chosen backend (the embedded bbolt store and queues, or
// the AWS adapters against AWS or emulators) it builds the adapters, the service, the one HTTP
// handler (API, kiosk and examiner pages, blob links) and the background jobs. `serve` only
// parses flags, listens and prints. The AWS functions' root is shared/cloud.
package local

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/enrol"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/metrics/prom"
	"github.com/ipfast/ipfast/shared/notify"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/s3blob"
	"github.com/ipfast/ipfast/shared/sweep"
	"github.com/ipfast/ipfast/shared/tracing"
	"github.com/ipfast/ipfast/web"
)

// Options say what to build.
type Options struct {
	DataDir    string // created if missing: the token secret, the bbolt file, local blobs
	ConfigPath string // expo configuration JSON ("" for the built-in defaults)
	PublicURL  string // base URL for links and QR codes ("" takes each request's host)
	Backend    string // "embedded" or "aws"
	Bootstrap  bool   // with "aws": create the table and queues when missing
	Clock      filing.Clock
	Log        *slog.Logger
}

// Deployment is a local deployment, built and ready to serve.
type Deployment struct {
	Expo    *filing.Expo
	Service *intake.Service
	Handler http.Handler
	Secret  []byte
	// SecretGenerated is true when the token secret is the data dir's own (not from
	// IPFAST_TOKEN_SECRET): only then may demo tokens be shown.
	SecretGenerated bool

	jobs   []job
	closer func() error
	sender *notify.Sender
	enrol  *enrol.Service
}

// OrganiserSetup is a one-time set-up link (relative to the server's address unless a public
// URL was given) for the organiser's supervisor (SPEC §18: what `serve` prints).
func (d *Deployment) OrganiserSetup(ctx context.Context) (enrol.Setup, error) {
	if d.enrol == nil {
		return enrol.Setup{}, errors.New("local: this store keeps no enrolment")
	}
	return d.enrol.OrganiserSetup(ctx)
}

// EnvCrashAfterSend, when set, makes `serve` kill itself (SIGKILL) right after a mail server
// accepted a notice and before that is recorded: for the fault test of SPEC §17's "a resend
// after a crash reuses the same Message-ID". Never set it in a deployment.
const EnvCrashAfterSend = "IPFAST_TEST_CRASH_AFTER_SEND"

// SetBaseURL is where links in mail point when no public URL was given: the address `serve`
// listens at. Call it before Run.
func (d *Deployment) SetBaseURL(u string) {
	if d.sender.BaseURL == "" {
		d.sender.BaseURL = u
	}
}

// job is background work: run every period (or, with period 0, once until ctx ends).
type job struct {
	name   string
	period time.Duration
	run    func(ctx context.Context) (int, error)
	loop   func(ctx context.Context)
}

// Open builds a deployment.
func Open(ctx context.Context, o Options) (*Deployment, error) {
	if o.Clock == nil {
		o.Clock = filing.SystemClock{}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	expo, err := filing.LoadExpo(o.ConfigPath)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	secret, err := auth.LocalSecret(o.DataDir)
	if err != nil {
		return nil, err
	}
	d := &Deployment{Secret: secret, SecretGenerated: os.Getenv("IPFAST_TOKEN_SECRET") == "", closer: func() error { return nil }}
	var store interface {
		filing.Store
		filing.ComplaintStore
		filing.ExhibitStore
		filing.NoticeStore
	}
	var noticeWake <-chan struct{}
	exclusive := false
	var queue filing.Queue
	var blobs filing.Blobs
	var backendTracing *tracing.Provider
	switch o.Backend {
	case "embedded", "":
		db, err := embedded.Open(filepath.Join(o.DataDir, "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID, Clock: o.Clock})
		if err != nil {
			return nil, err
		}
		store, queue, d.closer = db, db, db.Close
		noticeWake, exclusive = db.NoticeAdded(), true
		// Idempotency records expire after a week; forget them hourly.
		d.jobs = append(d.jobs, job{name: "purge idempotency records", period: time.Hour,
			run: func(context.Context) (int, error) { return db.PurgeIdempotency(o.Clock.Now()) }})
	case "aws":
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("AWS configuration: %w", err)
		}
		b, err := cloud.OpenWith(ctx, cfg)
		if err != nil {
			return nil, err
		}
		if o.ConfigPath != "" {
			b.Expo = expo
		}
		expo = b.Expo
		if o.Bootstrap {
			if err := provision.Table(ctx, b.DB, b.Store.Table); err != nil {
				return nil, err
			}
			if err := provision.Queues(ctx, b.Queue.Client, b.Queue.Prefix, expo.AllQueues(), cloud.MaxReceives); err != nil {
				return nil, err
			}
		}
		if n, err := b.Store.Migrate(ctx, expo.ID); err != nil {
			return nil, err
		} else if n > 0 {
			o.Log.Info("migrated the table to the current layout", "rows", n)
		}
		if bucket := os.Getenv(cloud.EnvAttachmentsBucket); bucket != "" {
			blobs = s3blob.New(b.Config, bucket)
		}
		backendTracing = b.Tracing
		// The stream poller stands in for the router function's event source mapping.
		poller := &outbox.Poller{Streams: outbox.NewClient(b.Config), Store: b.Store, Queue: b.Queue, Log: o.Log}
		store, queue = b.Store, b.Queue
		d.jobs = append(d.jobs, job{name: "route filings", loop: poller.Run})
	default:
		return nil, fmt.Errorf("-backend must be embedded or aws, not %q", o.Backend)
	}

	mux := http.NewServeMux()
	if blobs == nil {
		// Attachments live in the data dir, uploaded and downloaded through links this server
		// signs and serves at /blobs.
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("ipfast blob links"))
		files, err := embedded.OpenFiles(filepath.Join(o.DataDir, "blobs"), strings.TrimRight(o.PublicURL, "/")+"/blobs", mac.Sum(nil), o.Clock)
		if err != nil {
			return nil, errors.Join(err, d.closer())
		}
		blobs = files
		mux.Handle("/blobs", files.Handler())
		d.jobs = append(d.jobs, job{name: "delete unnamed blobs", period: time.Hour,
			run: func(context.Context) (int, error) { return files.GC(time.Hour) }})
	}
	// The services' figures (issue 17), at /metrics in the Prometheus text format.
	figures := prom.New()
	mux.Handle("GET /metrics", figures.Handler())
	apiServer := api.NewServer(expo, api.Backend{Store: store, Queue: queue, Blobs: blobs, Clock: o.Clock, Metrics: figures},
		auth.NewVerifier(secret, o.Clock.Now).ForExpos(expo), o.Log, o.PublicURL)
	svc := apiServer.Intake
	if es, ok := store.(filing.EnrolmentStore); ok {
		d.enrol = enrol.New(expo, es, apiServer.Verifier, o.Clock, o.PublicURL)
	}
	go svc.WarmHints() // the known marks' index (SPEC §15), built while the server starts
	// The exhibition display certificates (SPEC §12), signed with the data dir's keys.
	keys, err := certs.LocalKeyring(o.DataDir, o.Clock.Now())
	if err != nil {
		return nil, errors.Join(err, d.closer())
	}
	apiServer.Extra = docapi.Routes(apiServer, exhibits.New(expo, store, svc, keys, o.Clock))
	sweeper := &sweep.Service{Store: store, Expo: expo, Clock: o.Clock, Notices: store}
	// The notification outbox (SPEC §17), sent as soon as a notice is written (embedded) and
	// at least every few seconds; without notifications.smtp notices are kept, not sent.
	d.sender = &notify.Sender{Store: store, Notices: store, Expo: expo, Clock: o.Clock, Log: o.Log,
		BaseURL: o.PublicURL, Instance: filing.NewID("snd_", time.Now()), Exclusive: exclusive}
	if os.Getenv(EnvCrashAfterSend) != "" {
		// The fault test's kill -9 between a server's acceptance and its record.
		d.sender.AfterSend = func(filing.Notice) { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) }
	}
	d.jobs = append(d.jobs,
		job{name: "send notices", loop: func(ctx context.Context) { d.sender.Run(ctx, 5*time.Second, noticeWake) }},
		job{name: "reminders", period: time.Minute, run: sweeper.Remind},
		// The sweeps: once a minute here, the sweeper function's schedule in AWS.
		job{name: "deemed withdrawn", period: time.Minute, run: sweeper.DeemWithdrawn},
		job{name: "lapsed leases returned", period: time.Minute, run: sweeper.ReturnLapsedLeases},
		job{name: "lapsed complaints refused", period: time.Minute, run: sweeper.RefuseLapsedComplaints},
		// Uploads nobody filed within a day are forgotten with their bytes (in AWS: DynamoDB TTL
		// and the bucket's lifecycle rule).
		job{name: "forget unused uploads", period: 10 * time.Minute, run: svc.SweepUploads})
	// Off unless AWS_XRAY_DAEMON_ADDRESS names an X-Ray daemon: then each API request is a
	// segment, with its AWS calls (-backend aws) under it.
	tp := backendTracing
	if tp == nil {
		if tp, err = tracing.FromEnv("ipfast"); err != nil {
			return nil, errors.Join(err, d.closer())
		}
	}
	pages := web.With(tp.Handler("ipfast", apiServer.Handler()))
	mux.Handle("/", pages)
	d.Expo, d.Service, d.Handler = expo, svc, mux
	return d, nil
}

// Run runs the background jobs until ctx ends, logging failures and, when a job did
// something, how much; it returns when all have stopped.
func (d *Deployment) Run(ctx context.Context, log *slog.Logger) {
	var wg sync.WaitGroup
	for _, j := range d.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if j.loop != nil {
				j.loop(ctx)
				return
			}
			t := time.NewTicker(j.period)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if n, err := j.run(ctx); err != nil {
						log.Error(j.name, "error", err.Error())
					} else if n > 0 {
						log.Info(j.name, "count", n)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// RunJob runs one of the periodic background jobs now, by name, and reports how much it did
// (tests with a manual clock; Run runs them by themselves).
func (d *Deployment) RunJob(ctx context.Context, name string) (int, error) {
	for _, j := range d.jobs {
		if j.name == name && j.run != nil {
			return j.run(ctx)
		}
	}
	return 0, fmt.Errorf("no job %q", name)
}

// Close releases the store.
func (d *Deployment) Close() error { return d.closer() }
