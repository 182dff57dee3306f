package export_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/ipfast/ipfast/shared/export"
	"github.com/ipfast/ipfast/shared/filing"
)

// synthetic is a source of n filings made on the fly (as the store's pages would give them),
// sampling the heap every 5,000 filings into peak.
func synthetic(n int, peak *uint64) export.Source {
	return func(ctx context.Context, kind string, each func(filing.Filing) error) (int, error) {
		count := 0
		var ms runtime.MemStats
		for i := 0; i < n; i++ {
			trademark := i%2 == 0
			switch {
			case kind == filing.KindTrademark && !trademark, kind == filing.PatentInvention && trademark,
				kind != "" && kind != filing.KindTrademark && kind != filing.PatentInvention:
				continue
			}
			f := filing.Filing{ID: fmt.Sprintf("fil_%08d", i), FilingNumber: fmt.Sprintf("CISCE2026-TM-%06d", i), State: filing.StateQueued,
				FilingDate: "2026-06-23", FiledAt: "2026-06-23T10:00:00+08:00", Expo: "CISCE2026", Exhibitor: "EX-0001", Booth: "1A-101",
				Fees: filing.Fees{Currency: "CNY", Total: 300}}
			f.Applicants = []filing.Applicant{{Name: "宁德时代新能源科技股份有限公司", Nationality: "CN", Domicile: "CN", Address: "福建省宁德市蕉城区漳湾镇新港路2号"}}
			f.Contact = &filing.Contact{Name: "Li Wei", Email: "li.wei@example.com"}
			if trademark {
				f.Kind = filing.KindTrademark
				f.Trademark = &filing.Trademark{MarkType: "word", MarkText: fmt.Sprintf("MARK%d", i),
					Classes: []filing.NiceClass{{Class: 9, Terms: []string{"Batteries, electric", "电池", "Chargers for electric batteries"}}}}
			} else {
				f.Kind = filing.KindPatent
				f.Patent = &filing.Patent{Type: filing.PatentInvention, Title: fmt.Sprintf("Battery cooling plate %d", i),
					Inventors: []filing.Inventor{{Name: "Zhang San", Nationality: "CN"}}}
			}
			if err := each(f); err != nil {
				return count, err
			}
			count++
			if count%5000 == 0 {
				runtime.ReadMemStats(&ms)
				*peak = max(*peak, ms.HeapInuse)
			}
		}
		return count, nil
	}
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestExport100k: 100,000 filings in each format with the heap bounded (under 64 MB in use:
// one filing and one row at a time, whatever the count); make bench reports the figures
// (BenchmarkExport100k).
func TestExport100k(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 filings: not in -short")
	}
	x := filing.DefaultExpo()
	for _, format := range export.Formats {
		runtime.GC()
		var peak uint64
		var out counter
		n, err := export.Write(context.Background(), &out, format, x, synthetic(100000, &peak))
		if err != nil || n != 100000 {
			t.Fatalf("%s: %d filings, %v", format, n, err)
		}
		t.Logf("%s: %d filings, %d bytes, heap in use at most %.1f MB", format, n, out.n, float64(peak)/(1<<20))
		if peak > 64<<20 {
			t.Errorf("%s: heap in use %.1f MB exporting 100,000 filings", format, float64(peak)/(1<<20))
		}
	}
}

// BenchmarkExport100k exports 100,000 filings per op and reports the bytes written and the
// largest heap in use seen.
func BenchmarkExport100k(b *testing.B) {
	x := filing.DefaultExpo()
	for _, format := range export.Formats {
		b.Run(format, func(b *testing.B) {
			var peak uint64
			var out counter
			for i := 0; i < b.N; i++ {
				runtime.GC()
				if _, err := export.Write(context.Background(), &out, format, x, synthetic(100000, &peak)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.n)/float64(b.N)/(1<<20), "MB/export")
			b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
		})
	}
}
