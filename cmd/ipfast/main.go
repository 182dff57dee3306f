// Command ipfast runs the ipfast intake locally (`ipfast serve`: the API, the kiosk and
// examiner pages, an embedded durable store and queues), issues tokens for it (`ipfast token`)
// and rotates the certificates' signing keys (`ipfast keys`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/enrol"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/local"
	"github.com/ipfast/ipfast/shared/logs"
)

const usage = `ipfast: on-site IP fast-filing intake

  ipfast version
  ipfast serve [-addr 127.0.0.1:8080] [-data ./ipfast-data] [-config expo.json] [-backend embedded|aws [-bootstrap]]
  ipfast token -role kiosk|examiner|officer|supervisor [-exhibitor EX-0001 -booth 1A-101] [-expo ID [-config expo.json]] [-sub ID] [-ttl 12h, at most 336h] [-data ./ipfast-data]
  ipfast keys list|rotate [-data ./ipfast-data | -secret-arn ARN]   the certificates' signing keys (docs/certificates.md)

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
	case "keys":
		err = keys(ctx, os.Args[2:], os.Stdout, os.Stderr)
	case "version":
		fmt.Println(version())
		return
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", os.Args[1], usage)
	}
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the flag package printed the command's flags; asking for help is no error
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipfast:", err)
		os.Exit(1)
	}
}

// version is the module version and the commit this binary was built from, as the Go
// toolchain recorded them ("ipfast (devel) 8f062ae1 2026-12-01T22:20:31Z modified go1.26.8").
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "ipfast (no build information)"
	}
	v := []string{"ipfast", bi.Main.Version}
	for _, k := range []string{"vcs.revision", "vcs.time", "vcs.modified"} {
		for _, s := range bi.Settings {
			switch {
			case s.Key != k:
			case k == "vcs.revision":
				v = append(v, s.Value[:min(len(s.Value), 12)])
			case k == "vcs.modified" && s.Value == "true":
				v = append(v, "modified")
			case k == "vcs.time":
				v = append(v, s.Value)
			}
		}
	}
	return strings.Join(append(v, bi.GoVersion), " ")
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
	o := local.Options{}
	fs.StringVar(&o.DataDir, "data", "./ipfast-data", "data directory (created if missing)")
	fs.StringVar(&o.ConfigPath, "config", "", "expo configuration JSON (overrides the built-in defaults)")
	fs.StringVar(&o.PublicURL, "public-url", "", "base URL for links and QR codes (default: from each request)")
	fs.StringVar(&o.Backend, "backend", "embedded", "embedded (bbolt file in -data) or aws (DynamoDB + SQS)")
	fs.BoolVar(&o.Bootstrap, "bootstrap", false, "with -backend aws: create the table and queues if missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.Log = logs.New(stderr, "ipfast")
	slog.SetDefault(o.Log)
	var err error
	if o.Clock, err = clock(); err != nil {
		return err
	}
	d, err := local.Open(ctx, o)
	if err != nil {
		return err
	}
	defer d.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: d.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(o.Log.Handler(), slog.LevelWarn)}
	// Demo tokens only for a secret of this data dir's own: one given in the environment may
	// be a real deployment's, and its tokens do not belong on a terminal or in a log.
	organiser, err := d.OrganiserSetup(ctx)
	if err != nil {
		return err
	}
	if err := printWelcome(stdout, "http://"+ln.Addr().String(), organiser, d.Secret, o.Clock.Now(), d.Expo, d.SecretGenerated); err != nil {
		return err
	}
	d.SetBaseURL(linkBase(ln.Addr()))
	o.Log.Info("serving", "addr", ln.Addr().String(), "backend", o.Backend, "data", o.DataDir, "expo", d.Expo.ID)
	bgCtx, stopBackground := context.WithCancel(ctx)
	bgDone := make(chan struct{})
	go func() { d.Run(bgCtx, o.Log); close(bgDone) }()
	defer func() { stopBackground(); <-bgDone }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	o.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// linkBase is the base of links in mail when no -public-url is given: the listening address,
// with localhost for an unspecified host (":8080").
func linkBase(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d", t.Port)
	}
	return "http://" + a.String()
}

// printWelcome prints the pages' addresses, the organiser's set-up link (SPEC §18) and, for a
// secret of the data dir's own, demo tokens.
func printWelcome(w io.Writer, base string, organiser enrol.Setup, secret []byte, now time.Time, expo *filing.Expo, showTokens bool) error {
	demo := []filing.Principal{
		{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"},
		{Subject: "examiner-1", Role: filing.RoleExaminer},
		{Subject: "officer-1", Role: filing.RoleOfficer},
		{Subject: "supervisor-1", Role: filing.RoleSupervisor},
	}
	fmt.Fprintf(w, "ipfast is serving %s (%s)\n\n", expo.Name, expo.ID)
	fmt.Fprintf(w, "  Kiosk:     %s/\n  Examiner:  %s/examiner/\n  Dashboard: %s/examiner/dashboard/\n  Enrolment: %s/examiner/enrolment/\n  API:       %s/v1/\n\n",
		base, base, base, base, base)
	link := organiser.SetupURL
	if strings.HasPrefix(link, "/") {
		link = base + link
	}
	fmt.Fprintf(w, "The organiser's set-up link: open it once, within 24 hours, in the browser you will enrol\n"+
		"the booths' kiosks and the staff from (it signs that browser in as a supervisor):\n  %s\n\n", link)
	if !showTokens {
		fmt.Fprintf(w, "The token secret comes from IPFAST_TOKEN_SECRET, so no demo tokens are printed;\n"+
			"mint tokens with: ipfast token -role kiosk -exhibitor EX-0001 -booth 1A-101\n\n")
		return nil
	}
	fmt.Fprintf(w, "Demo tokens (valid 12h; for demos and tests, `ipfast token` mints more):\n")
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
			// Opening this link provisions a kiosk with the demo token.
			fmt.Fprintf(w, "    kiosk with this token: %s/#token=%s\n", base, tok)
		}
	}
	fmt.Fprintln(w)
	return nil
}

func token(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "kiosk, examiner, officer or supervisor")
	exhibitor := fs.String("exhibitor", "", "exhibitor id (kiosk)")
	booth := fs.String("booth", "", "booth (kiosk)")
	expo := fs.String("expo", "", "the expo the token acts in (default: the deployment's default expo)")
	config := fs.String("config", "", "the deployment's expo configuration: -expo must name one of its expos")
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
	if *config != "" {
		e, err := filing.LoadExpo(*config)
		if err != nil {
			return err
		}
		if _, ok := e.Tenant(*expo); !ok {
			ids := []string{}
			for _, x := range e.Expos() {
				ids = append(ids, x.ID)
			}
			return fmt.Errorf("-expo %s: %s configures the expos %s", *expo, *config, strings.Join(ids, ", "))
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
	tok, err := auth.Sign(secret, filing.Principal{Subject: *sub, Role: *role, Exhibitor: *exhibitor, Booth: *booth, Expo: *expo},
		clk.Now(), *ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}
