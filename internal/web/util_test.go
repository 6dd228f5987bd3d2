package web_test

import (
	"io"
	"strconv"
	"sync"
)

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// syncWriter serialises writes from concurrent loggers.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
