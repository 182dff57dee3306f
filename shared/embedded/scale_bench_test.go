package embedded

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/review"
	bolt "go.etcd.io/bbolt"
)

// A fair's worth of filings, written as Create and Update leave them (the filing, its index
// rows, its search terms, its counts, and a queue message while it waits), in large
// transactions so that a million take a minute rather than an hour of fsyncs. Five days,
// 09:00–18:00 Beijing, 40 examiners; 70 % trademarks; applicants from 3,000 companies, a third
// of them Chinese; 95 % decided, the rest waiting or in review.

var scaleWords = strings.Fields(`amber apex atlas aurora beacon birch bloom bolt brisk cedar cinder
cobalt comet coral crest delta drift echo ember falcon fern flint forge frost garnet glacier
harbor hazel helix indigo iris jade juniper kestrel lumen lunar maple meadow meridian nimbus
nova oak onyx orbit pine pixel prism quartz raven ridge river sable sage sierra solar spruce
summit tide topaz tundra vale vector willow zenith zephyr`)

var scaleCN = []string{"深圳", "宁德", "杭州", "苏州", "青岛", "东莞", "佛山", "合肥", "成都", "武汉"}
var scaleCN2 = []string{"大疆", "时代", "创新", "精工", "光电", "智能", "新能源", "电子", "机械", "材料"}

type scaleSet struct {
	db      *DB
	expo    *filing.Expo
	n       int
	numbers []string // a sample of filing numbers
	booths  []string
	names   []string // applicant names of the sample
	marks   []string
}

var (
	scaleMu    sync.Mutex
	scaleCache = map[int]*scaleSet{}
)

// scaleDB is an embedded store holding n filings, built once per process for each n.
func scaleDB(b *testing.B, n int) *scaleSet {
	scaleMu.Lock()
	defer scaleMu.Unlock()
	if s := scaleCache[n]; s != nil {
		return s
	}
	expo := filing.DefaultExpo()
	dir, err := os.MkdirTemp("", "ipfast-scale-")
	if err != nil {
		b.Fatal(err)
	}
	d, err := Open(filepath.Join(dir, "ipfast.db"), Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		b.Fatal(err)
	}
	s := &scaleSet{db: d, expo: expo, n: n}
	r := rand.New(rand.NewPCG(uint64(n), 42))
	companies := make([]string, 3000)
	for i := range companies {
		if i%3 == 0 {
			companies[i] = scaleCN[r.IntN(len(scaleCN))] + "市" + scaleCN2[r.IntN(len(scaleCN2))] + scaleCN2[r.IntN(len(scaleCN2))] + "科技有限公司"
		} else {
			companies[i] = strings.ToUpper(scaleWords[r.IntN(len(scaleWords))][:1]) + scaleWords[r.IntN(len(scaleWords))][1:] + " " +
				scaleWords[r.IntN(len(scaleWords))] + []string{" GmbH", " Ltd", " Inc.", " S.A.", " Co., Ltd."}[r.IntN(5)]
		}
	}
	countries := []string{"CN", "CN", "CN", "DE", "US", "JP", "KR", "FR", "IT", "GB", "SG", "MY", "TH", "VN", "BR", "IN"}
	start := time.Date(2026, 6, 22, 1, 0, 0, 0, time.UTC) // 09:00 Beijing
	seq := map[string]int{}
	// Small transactions (bbolt grows a node in memory until commit, so a huge one is
	// quadratic), not fsynced while loading; the store is synced once at the end.
	const batch = 1000
	d.db.NoSync = true
	defer func() { d.db.NoSync = false; _ = d.db.Sync() }()
	for done := 0; done < n; done += batch {
		err := d.db.Update(func(tx *bolt.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				day := i * 5 / n
				at := start.Add(time.Duration(day)*24*time.Hour + time.Duration(r.Int64N(int64(9*time.Hour))))
				f := filing.Filing{ID: filing.NewID("fil_", at), FiledAt: at.Format(time.RFC3339), FilingDate: at.Add(8 * time.Hour).Format(time.DateOnly),
					Expo: expo.ID, Exhibitor: fmt.Sprintf("EX-%04d", r.IntN(800)), Version: 1,
					Booth: fmt.Sprintf("%d%c-%03d", 1+r.IntN(9), 'A'+rune(r.IntN(8)), r.IntN(400)), Request: filing.Request{Language: "en"}}
				company := companies[r.IntN(len(companies))]
				f.Applicants = []filing.Applicant{{Name: company, Kind: "organization", Nationality: countries[r.IntN(len(countries))], Domicile: "CN", Address: "x"}}
				mark := strings.ToUpper(scaleWords[r.IntN(len(scaleWords))] + scaleWords[r.IntN(len(scaleWords))])
				typ := "TM"
				if r.IntN(10) < 7 {
					f.Kind, f.Queue = filing.KindTrademark, "trademark"
					f.Trademark = &filing.Trademark{MarkType: "word", MarkText: mark, Classes: []filing.NiceClass{{Class: 9, Terms: []string{"Batteries"}}}}
				} else {
					pt := []string{filing.PatentInvention, filing.PatentUtilityModel, filing.PatentDesign}[r.IntN(3)]
					f.Kind, f.Queue = filing.KindPatent, map[string]string{filing.PatentInvention: "patent-invention",
						filing.PatentUtilityModel: "patent-utility-model", filing.PatentDesign: "patent-design"}[pt]
					w := scaleWords[r.IntN(len(scaleWords))]
					f.Patent = &filing.Patent{Type: pt, Title: strings.ToUpper(w[:1]) + w[1:] + " " + scaleWords[r.IntN(len(scaleWords))] + " device"}
					typ = map[string]string{filing.PatentInvention: "IN", filing.PatentUtilityModel: "UM", filing.PatentDesign: "DE"}[pt]
				}
				seq[typ]++
				f.FilingNumber = filing.FilingNumber(expo.NumberPrefix+"-"+typ, seq[typ])
				switch x := r.IntN(100); {
				case x < 3:
					f.State = filing.StateQueued
				case x < 5:
					f.State = filing.StateInReview
				default:
					f.State = []filing.State{filing.StateAccepted, filing.StateAccepted, filing.StateAccepted, filing.StateRejected, filing.StateCorrectionRequested}[r.IntN(5)]
					outcome := map[filing.State]string{filing.StateAccepted: "accept", filing.StateRejected: "reject", filing.StateCorrectionRequested: "request_correction"}[f.State]
					f.Decision = &filing.Decision{Outcome: outcome, Examiner: fmt.Sprintf("examiner-%02d", r.IntN(40)),
						DecidedAt: at.Add(time.Duration(r.Int64N(int64(30 * time.Hour)))).Format(time.RFC3339)}
					f.Version = 3
				}
				if err := putNewFiling(tx, f, nil, nil); err != nil {
					return err
				}
				if f.State == filing.StateQueued {
					msg := filing.RoutingMessage(f.ID, 1)
					msg.SentAt = at
					if err := sendTx(tx, filing.ExpoQueue(f.Expo, f.Queue), msg); err != nil {
						return err
					}
				}
				if i%(max(n/2000, 1)) == 0 { // a sample of what examiners look for
					s.numbers = append(s.numbers, f.FilingNumber)
					s.booths = append(s.booths, f.Booth)
					s.names = append(s.names, company)
					s.marks = append(s.marks, mark)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := d.indexAll(); err != nil { // the search index, written behind, complete
		b.Fatal(err)
	}
	scaleCache[n] = s
	return s
}

// TestMain removes the benchmarks' stores (a gigabyte for a million filings) when the package's
// tests and benchmarks are done.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, s := range scaleCache {
		path := s.db.db.Path()
		s.db.Close()
		os.RemoveAll(filepath.Dir(path))
	}
	os.Exit(code)
}

// percentileMs is the nearest-rank percentile of ds in milliseconds.
func percentileMs(ds []time.Duration, p int) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := max((p*len(s)+99)/100, 1) - 1
	return float64(s[i].Microseconds()) / 1000
}

// BenchmarkSearch100k: an examiner's searches (GET /v1/filings?q=…, the store's part: index
// lookup, reading and checking candidates, one page of 20) among 100,000 filings: by filing
// number, by booth, by the first four letters of an applicant's name (Latin or Chinese), and
// the newest filings without words. Reports p50/p99 per kind of search.
func BenchmarkSearch100k(b *testing.B) {
	s := scaleDB(b, 100_000)
	r := rand.New(rand.NewPCG(7, 7))
	kinds := []struct {
		name  string
		query func() string
	}{
		{"number", func() string { return s.numbers[r.IntN(len(s.numbers))] }},
		{"booth", func() string { return s.booths[r.IntN(len(s.booths))] }},
		{"name", func() string { return string([]rune(s.names[r.IntN(len(s.names))])[:4]) }},
		{"mark", func() string { return strings.ToLower(s.marks[r.IntN(len(s.marks))][:5]) }},
		{"all", func() string { return "" }},
	}
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := kinds[i%len(kinds)]
		q := filing.SearchQuery{Expo: s.expo.ID, Q: k.query(), Limit: 20}
		t0 := time.Now()
		page, err := s.db.Search(context.Background(), q)
		lat[k.name] = append(lat[k.name], time.Since(t0))
		if err != nil || (k.name != "all" && len(page.Items) == 0) {
			b.Fatalf("search %q: %d items, %v", q.Q, len(page.Items), err)
		}
	}
	b.StopTimer()
	for _, k := range kinds {
		if len(lat[k.name]) > 0 {
			b.ReportMetric(percentileMs(lat[k.name], 50), k.name+"-p50-ms")
			b.ReportMetric(percentileMs(lat[k.name], 99), k.name+"-p99-ms")
		}
	}
}

// BenchmarkStats1M: GET /v1/stats (review.Service.Stats: the counts and every queue's live
// figures) for an expo of 1,000,000 filings, 3 % of them waiting in the queues.
func BenchmarkStats1M(b *testing.B) {
	s := scaleDB(b, 1_000_000)
	svc := review.New(s.expo, s.db, s.db, nil)
	sup := filing.Principal{Subject: "sup", Role: filing.RoleSupervisor}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		st, err := svc.Stats(context.Background(), sup)
		lat = append(lat, time.Since(t0))
		total := 0
		for _, c := range st.States {
			total += c
		}
		if err != nil || total != s.n {
			b.Fatalf("stats: %d filings, %v", total, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(percentileMs(lat, 50), "p50-ms")
	b.ReportMetric(percentileMs(lat, 99), "p99-ms")
}
