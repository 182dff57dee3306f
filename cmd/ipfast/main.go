// Command ipfast runs the ipfast intake locally (`ipfast serve`: the API, the kiosk and
// examiner pages, an embedded durable store and queues) and issues tokens for it
// (`ipfast token`).
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/logs"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/s3blob"
	"github.com/ipfast/ipfast/web"
)

const usage = `ipfast: on-site IP fast-filing intake

  ipfast serve [-addr 127.0.0.1:8080] [-data ./ipfast-data] [-config expo.json] [-backend embedded|aws [-bootstrap]]
  ipfast token -role kiosk|examiner|officer|supervisor [-exhibitor EX-0001 -booth 1A-101] [-sub ID] [-ttl 12h, at most 336h] [-data ./ipfast-data]

Environment: IPFAST_TOKEN_SECRET (token secret), IPFAST_CLOCK_START (RFC 3339: the clock starts there).
With -backend aws: IPFAST_TABLE, IPFAST_QUEUE_PREFIX, and the standard AWS variables
(AWS_REGION, credentials, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS for emulators).
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:], os.Stdout, os.Stderr)
	case "token":
		err = token(os.Args[2:], os.Stdout)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", os.Args[1], usage)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipfast:", err)
		os.Exit(1)
	}
}

// clock is the server's clock: real time, or from IPFAST_CLOCK_START on (SPEC §10).
func clock() (filing.Clock, error) {
	start := os.Getenv("IPFAST_CLOCK_START")
	if start == "" {
		return filing.SystemClock{}, nil
	}
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return nil, fmt.Errorf("IPFAST_CLOCK_START: %w", err)
	}
	return filing.StartingAt(t), nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dataDir := fs.String("data", "./ipfast-data", "data directory (created if missing)")
	configPath := fs.String("config", "", "expo configuration JSON (overrides the built-in defaults)")
	publicURL := fs.String("public-url", "", "base URL for links and QR codes (default: from each request)")
	backend := fs.String("backend", "embedded", "embedded (bbolt file in -data) or aws (DynamoDB + SQS)")
	bootstrap := fs.Bool("bootstrap", false, "with -backend aws: create the table and queues if missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logs.New(stderr, "ipfast")
	slog.SetDefault(log)
	expo, err := filing.LoadExpo(*configPath)
	if err != nil {
		return err
	}
	clk, err := clock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	secret, err := auth.LocalSecret(*dataDir)
	if err != nil {
		return err
	}
	// Demo tokens only for a secret of this data dir's own: one given in the environment may
	// be a real deployment's, and its tokens do not belong on a terminal or in a log.
	demo := os.Getenv("IPFAST_TOKEN_SECRET") == ""
	var store filing.Store
	var queue filing.Queue
	var blobs filing.Blobs
	var background func(context.Context)
	switch *backend {
	case "embedded":
		db, err := embedded.Open(filepath.Join(*dataDir, "ipfast.db"), embedded.Options{Queues: expo.Queues(), Clock: clk})
		if err != nil {
			return err
		}
		defer db.Close()
		store, queue, background = db, db, func(ctx context.Context) {
			// Idempotency records expire after a week; forget them hourly.
			every(ctx, time.Hour, log, "purge idempotency records", func() (int, error) { return db.PurgeIdempotency(clk.Now()) })
		}
	case "aws":
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return fmt.Errorf("AWS configuration: %w", err)
		}
		b, err := cloud.OpenWith(ctx, cfg)
		if err != nil {
			return err
		}
		if *configPath != "" {
			b.Expo = expo
		}
		expo = b.Expo
		if *bootstrap {
			if err := provision.Table(ctx, b.DB, b.Store.Table); err != nil {
				return err
			}
			if err := provision.Queues(ctx, b.Queue.Client, b.Queue.Prefix, expo.Queues(), cloud.MaxReceives); err != nil {
				return err
			}
		}
		if bucket := os.Getenv(cloud.EnvAttachmentsBucket); bucket != "" {
			blobs = s3blob.New(b.Config, bucket)
		}
		router := &outbox.Poller{Streams: outbox.NewClient(b.Config), Store: b.Store, Queue: b.Queue, Log: log}
		// The stream router stands in for the router function's event source mapping.
		store, queue, background = b.Store, b.Queue, router.Run
	default:
		return fmt.Errorf("-backend must be embedded or aws, not %q", *backend)
	}

	var files *embedded.Files
	if blobs == nil {
		// Attachments live in the data dir, uploaded and downloaded through links this server
		// signs and serves at /blobs.
		base := strings.TrimRight(*publicURL, "/") + "/blobs"
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("ipfast blob links"))
		if files, err = embedded.OpenFiles(filepath.Join(*dataDir, "blobs"), base, mac.Sum(nil), clk); err != nil {
			return err
		}
		blobs = files
	}
	svc := intake.New(expo, store, queue, clk)
	svc.Blobs = blobs
	apiServer := &api.Server{Service: svc, Verifier: auth.NewVerifier(secret, clk.Now), Log: log, PublicURL: *publicURL}
	mux := web.With(apiServer.Handler())
	if files != nil {
		mux.Handle("/blobs", files.Handler())
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	base := "http://" + ln.Addr().String()
	if err := printWelcome(stdout, base, secret, clk.Now(), expo, demo); err != nil {
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "backend", *backend, "data", *dataDir, "expo", expo.ID)

	bgCtx, stopBackground := context.WithCancel(ctx)
	bgDone := make(chan struct{}, 4)
	go func() { background(bgCtx); bgDone <- struct{}{} }()
	go func() {
		// The deemed-withdrawal sweep: once a minute here, the sweeper function's schedule in AWS.
		every(bgCtx, time.Minute, log, "deemed withdrawn", func() (int, error) { return svc.Sweep(bgCtx) })
		bgDone <- struct{}{}
	}()
	go func() {
		// Uploads nobody filed within a day are forgotten with their bytes (in AWS: DynamoDB TTL
		// and the bucket's lifecycle rule).
		every(bgCtx, 10*time.Minute, log, "forget unused uploads", func() (int, error) { return svc.SweepUploads(bgCtx) })
		bgDone <- struct{}{}
	}()
	go func() {
		if files != nil {
			every(bgCtx, time.Hour, log, "delete unnamed blobs", func() (int, error) { return files.GC(time.Hour) })
		}
		bgDone <- struct{}{}
	}()
	defer func() { stopBackground(); <-bgDone; <-bgDone; <-bgDone; <-bgDone }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func printWelcome(w io.Writer, base string, secret []byte, now time.Time, expo *filing.Expo, showTokens bool) error {
	demo := []filing.Principal{
		{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"},
		{Subject: "examiner-1", Role: filing.RoleExaminer},
		{Subject: "supervisor-1", Role: filing.RoleSupervisor},
	}
	fmt.Fprintf(w, "ipfast is serving %s (%s)\n\n", expo.Name, expo.ID)
	fmt.Fprintf(w, "  Kiosk:    %s/\n  Examiner: %s/examiner/\n  API:      %s/v1/\n\n", base, base, base)
	if !showTokens {
		fmt.Fprintf(w, "The token secret comes from IPFAST_TOKEN_SECRET, so no demo tokens are printed;\n"+
			"mint tokens with: ipfast token -role kiosk -exhibitor EX-0001 -booth 1A-101\n\n")
		return nil
	}
	fmt.Fprintf(w, "Demo tokens (valid 12h):\n")
	for _, p := range demo {
		tok, err := auth.Sign(secret, p, now, 12*time.Hour)
		if err != nil {
			return err
		}
		label := p.Role
		if p.Exhibitor != "" {
			label += " " + p.Exhibitor + " " + p.Booth
		}
		fmt.Fprintf(w, "  %s:\n    %s\n", label, tok)
		if p.Role == filing.RoleKiosk {
			// Opening (or scanning a QR code of) this link provisions a kiosk with the token.
			fmt.Fprintf(w, "    kiosk set-up link: %s/#token=%s\n", base, tok)
		}
	}
	fmt.Fprintln(w)
	return nil
}

// every runs job each period until ctx ends, logging failures and, when it did something, how
// much (the name says what was counted).
func every(ctx context.Context, period time.Duration, log *slog.Logger, name string, job func() (int, error)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := job(); err != nil {
				log.Error(name, "error", err.Error())
			} else if n > 0 {
				log.Info(name, "count", n)
			}
		}
	}
}

func token(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "kiosk, examiner or supervisor")
	exhibitor := fs.String("exhibitor", "", "exhibitor id (kiosk)")
	booth := fs.String("booth", "", "booth (kiosk)")
	sub := fs.String("sub", "", "subject: user or device id (default: derived from role and booth)")
	ttl := fs.Duration("ttl", 12*time.Hour, "validity")
	dataDir := fs.String("data", "./ipfast-data", "data directory of the local deployment (for its secret)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sub == "" {
		*sub = *role
		if *booth != "" {
			*sub += "-" + *booth
		}
	}
	secret, err := auth.LocalSecret(*dataDir)
	if err != nil {
		return err
	}
	clk, err := clock()
	if err != nil {
		return err
	}
	tok, err := auth.Sign(secret, filing.Principal{Subject: *sub, Role: *role, Exhibitor: *exhibitor, Booth: *booth},
		clk.Now(), *ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}
