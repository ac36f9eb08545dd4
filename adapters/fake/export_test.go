package fake

import "net/http"

// Verify is the OffBlocks fake's check of r's signature and digest, for
// BenchmarkOffBlocksVerify.
func (f *OffBlocks) Verify(r *http.Request, body []byte) error { return f.verify(r, body) }
