package api

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/metrics"
	"golang.org/x/time/rate"
)

// Limiter is the rate limit of SPEC §3: a token bucket (golang.org/x/time/rate) per caller —
// the token's subject, or the client address for calls without a valid token — refilled at
// Limits.RequestsPerSecond and holding Limits.Burst requests. One caller that floods the API is
// refused with 429 for the excess and costs the others nothing but the refusal.
//
// Each process keeps its own buckets. In AWS every Lambda instance is one process, so a caller
// spread over n warm instances could get up to n times the rate; API Gateway's stage throttling
// (template.yaml) bounds the whole API in front of them, and a kiosk's requests, one at a time
// from one browser, mostly reach the instance that answered its last one.
type Limiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter returns the limiter of the configured limits, or nil when rate limiting is off
// (requestsPerSecond 0).
func NewLimiter(l filing.Limits) *Limiter {
	if l.RequestsPerSecond <= 0 {
		return nil
	}
	return &Limiter{limit: rate.Limit(l.RequestsPerSecond), burst: l.Burst, buckets: map[string]*bucket{}}
}

// Allow takes one request of key's bucket at now; when the bucket is empty it takes nothing
// and says how long until a request would be allowed.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	if l.calls++; l.calls%4096 == 0 {
		l.forget(now)
	}
	l.mu.Unlock()
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// forget drops the buckets of callers idle long enough for their bucket to be full again: a
// new bucket is the same. Called with l.mu held.
func (l *Limiter) forget(now time.Time) {
	idle := time.Duration(float64(l.burst)/float64(l.limit)*float64(time.Second)) + time.Second
	for k, b := range l.buckets {
		if now.Sub(b.seen) > idle {
			delete(l.buckets, k)
		}
	}
}

// clientAddress is the address a request came from: the peer's IP (in AWS, API Gateway's
// sourceIp, which the Lambda adapter puts in RemoteAddr).
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// limited answers 429 rate_limited with Retry-After (whole seconds, at least 1) when key's
// bucket is empty.
func (s *Server) limited(w http.ResponseWriter, r *http.Request, lim *Limiter, key string) bool {
	if lim == nil {
		return false
	}
	ok, wait := lim.Allow(key, time.Now())
	if ok {
		return false
	}
	scope := "address"
	if strings.HasPrefix(key, "sub ") {
		scope = "token"
	}
	metrics.Of(s.Metrics).Record(metrics.RateLimited, 1, scope)
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	writeError(w, r, filing.Errorf(filing.RateLimited, filing.CodeRateLimited,
		"too many requests: at most %g a second with bursts of %d; try again in %d s", float64(lim.limit), lim.burst, max(secs, 1)))
	return true
}
