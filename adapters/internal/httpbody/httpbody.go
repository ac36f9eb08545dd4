// Package httpbody reads an HTTP body of bounded size, for the clients (an
// answer) and the fakes (a request).
package httpbody

import "io"

// Read reads at most limit bytes of r into one buffer, sized from length
// (a Content-Length; negative when unknown) when there is one: the last
// read of a body of known length reports the end with its data, so the
// buffer never grows. Otherwise it starts from 512 bytes, as io.ReadAll
// does. A body longer than limit comes back cut at limit, without an
// error: the caller tells by its length.
func Read(r io.Reader, length, limit int64) ([]byte, error) {
	size := int64(512)
	if length >= 0 {
		// Bounded before the +1: a hostile Content-Length may be the
		// largest int64.
		size = min(length, limit-1) + 1
	}
	b := make([]byte, 0, min(size, limit))
	for int64(len(b)) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):min(int64(cap(b)), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}
