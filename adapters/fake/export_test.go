package fake

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cardkit/cardkit/adapters/internal/httpsig"
)

// Verify is the OffBlocks fake's check of r's signature and digest, for
// BenchmarkOffBlocksVerify.
func (f *OffBlocks) Verify(r *http.Request, body []byte) error { return f.verify(r, body) }

// TimeVerifications makes f add the time each ECDSA verification takes to
// total, for BenchmarkClientIssue. Call it before f serves.
func (f *OffBlocks) TimeVerifications(total *atomic.Int64) {
	f.verifier = timedVerifier{f.verifier, total}
}

type timedVerifier struct {
	httpsig.Verifier
	total *atomic.Int64
}

func (v timedVerifier) Verify(base, sig []byte) error {
	start := time.Now()
	err := v.Verifier.Verify(base, sig)
	v.total.Add(int64(time.Since(start)))
	return err
}

// AcceptAnySignature makes f take every signature as valid: the ECDSA
// check alone is skipped, the rest of the signature's and digest's checks
// stay. For the benchmarks that report the ECDSA cost apart. Call it
// before f serves.
func (f *OffBlocks) AcceptAnySignature() { f.verifier = anySignature{} }

type anySignature struct{}

func (anySignature) Verify(base, sig []byte) error { return nil }
