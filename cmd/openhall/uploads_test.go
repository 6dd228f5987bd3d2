package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUploadsLeaveNoTemporaryFiles files applications with large materials
// and counts the temporary files the server leaves, in a temporary
// directory of its own and in the blob store, after a filing that succeeds,
// one refused for its size, one whose client goes away in the middle of a
// file, and one cut short by killing the server, counted after the restart.
func TestUploadsLeaveNoTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, kills and restarts the server")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	tmp, data := filepath.Join(dir, "tmp"), filepath.Join(dir, "data")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"OPENHALL_DATA=" + data, "TMPDIR=" + tmp}
	p := startServe(t, bin, env, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	blobs := filepath.Join(data, "blobs")
	leftovers := func() []string { return tempFiles(tmp, blobs) }

	if a := c.fileSized(t, "tmp-ok", 9<<20); !a.acked() {
		t.Fatalf("filing with %d materials of 9 MB: %s", len(c.codes), a.err)
	}
	expectNone(t, "a filing that succeeded", leftovers)

	a := c.fileSized(t, "tmp-big", 200<<20)
	if a.acked() || a.status != 0 && a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a filing of %d × 200 MB: %d %s; want 413", len(c.codes), a.status, a.err)
	}
	expectNone(t, "a filing refused for its size", leftovers)

	conn := c.stallUpload(t, p, "tmp-abort", blobs)
	conn.Close()
	pid := p.cmd.Process.Pid
	waitNone(t, "a filing whose client went away", func() []string { return append(leftovers(), openUploads(pid, blobs)...) })

	c.stallUpload(t, p, "tmp-kill", blobs)
	p.cmd.Process.Kill()
	p.cmd.Wait()
	// On a local Linux filesystem an upload is written into a file without
	// a name, which the kernel frees with the process: nothing is left.
	// Elsewhere the named temporary file stays until the restart.
	startServe(t, bin, env)
	expectNone(t, "a filing cut short by killing the server, after the restart", leftovers)
}

// tempFiles lists the files in the server's temporary directory and the
// unfinished uploads in its blob store.
func tempFiles(tmp, blobs string) []string {
	var out []string
	filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	m, _ := filepath.Glob(filepath.Join(blobs, ".upload-*"))
	return append(out, m...)
}

func expectNone(t *testing.T, what string, list func() []string) {
	t.Helper()
	if l := list(); len(l) > 0 {
		t.Fatalf("after %s, temporary files remain: %v", what, l)
	}
}

// waitNone waits for the server to notice a client that went away.
func waitNone(t *testing.T, what string, list func() []string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(list()) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	expectNone(t, what, list)
}

// bigPDF is a PDF of n bytes, unique to key.
func bigPDF(key string, n int) []byte {
	head := materialPDF(key, "big")
	pad := bytes.Repeat([]byte("% padding padding padding padding padding padding\n"), (n-len(head))/50+1)
	return append(head, pad[:n-len(head)]...)
}

// fileSized files an application whose every material is a PDF of n bytes.
func (c *filingClient) fileSized(t *testing.T, key string, n int) attempt {
	t.Helper()
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		app, _ := json.Marshal(map[string]any{"item_version_id": c.version, "form": map[string]string{"summary": key}})
		w.WriteField("case", string(app))
		for _, code := range c.codes {
			part, _ := w.CreateFormFile("material."+code, code+".pdf")
			if _, err := part.Write(bigPDF(key+code, n)); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(w.Close())
	}()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/cases", pr)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Idempotency-Key", key)
	a := attempt{key: key}
	status, b, err := c.do(req)
	if err != nil {
		a.err = err.Error()
		return a
	}
	var out struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
	}
	json.Unmarshal(b, &out)
	a.status, a.id, a.number, a.err = status, out.ID, out.Number, fmt.Sprintf("%d %.300s", status, b)
	return a
}

// stallUpload sends the head of a filing and half of its first file over a
// connection of its own, then waits until the server is writing that file
// into the blob store. The caller closes the connection or kills the server.
func (c *filingClient) stallUpload(t *testing.T, p *proc, key, blobs string) net.Conn {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	app, _ := json.Marshal(map[string]any{"item_version_id": c.version, "form": map[string]string{"summary": key}})
	w.WriteField("case", string(app))
	part, _ := w.CreateFormFile("material."+c.codes[0], "half.pdf")
	part.Write(bigPDF(key, 1<<20))
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	head := fmt.Sprintf("POST /api/v1/cases HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"+
		"Idempotency-Key: %s\r\nX-CSRF-Token: %s\r\nCookie: %s\r\n\r\n",
		p.addr, w.FormDataContentType(), body.Len()+(4<<20), key, c.csrf, c.cookieHeader(t))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body.Bytes()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !writingUpload(p.cmd.Process.Pid, blobs) {
		if time.Now().After(deadline) {
			t.Fatal("the server never started writing the streamed file into the blob store")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return conn
}

// writingUpload reports whether the server (process pid) is writing an
// upload into the blob store that has content already. A temporary file
// only just created is still empty and not yet locked by its writer; the
// store spares such a file for a minute after a crash (it cannot tell it
// from one another node is about to lock), so a test that kills the server
// must wait for the first bytes.
func writingUpload(pid int, blobs string) bool {
	for _, fd := range openUploads(pid, blobs) {
		if info, err := os.Stat(fd); err == nil && info.Size() > 0 {
			return true
		}
	}
	return false
}

// openUploads lists the server's descriptors of unfinished uploads in the
// blob store: files without a name in its directory (how it writes uploads
// on a local Linux filesystem; /proc shows them as "#inode (deleted)"), or
// named temporary files there.
func openUploads(pid int, blobs string) []string {
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(fd)
		if err != nil || filepath.Dir(target) != blobs {
			continue
		}
		if name := filepath.Base(target); strings.HasPrefix(name, "#") || strings.HasPrefix(name, ".upload-") {
			out = append(out, fd)
		}
	}
	return out
}

// cookieHeader is the client's cookies for the server, as a Cookie header.
func (c *filingClient) cookieHeader(t *testing.T) string {
	u, err := url.Parse(c.base)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, ck := range c.http.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}
