// Package notifytest provides a tiny in-process SMTP server for tests of
// the email channel: it speaks enough of RFC 5321 (EHLO, STARTTLS, AUTH
// PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for net/smtp and records what
// it receives.
package notifytest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data string // the message as sent, dot-unstuffed
	TLS  bool   // the session was upgraded with STARTTLS
	User string // the AUTH PLAIN user, if any
}

// Server is a running test SMTP server.
type Server struct {
	Host string
	Port int
	// RootCAs trusts the server's certificate, for the client's tls.Config.
	RootCAs *x509.CertPool

	ln       net.Listener
	tls      *tls.Config // nil: STARTTLS not offered
	mu       sync.Mutex
	received []Received
	failures int // reject the next messages with 451
}

// Options tune a Server.
type Options struct {
	StartTLS bool // offer STARTTLS
	FailNext int  // answer the first FailNext messages with a temporary failure
}

// Start runs a server on a loopback port until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, ln: ln, failures: o.FailNext}
	if o.StartTLS {
		s.tls, s.RootCAs = selfSigned(t)
	}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

// Received returns the messages accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

// session is one SMTP conversation.
type session struct {
	s    *Server
	conn net.Conn
	r    *bufio.Reader
	msg  Received
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	ss := &session{s: s, conn: c, r: bufio.NewReader(c)}
	ss.reply("220 openhall-test ESMTP")
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return
		}
		if !ss.command(strings.TrimRight(line, "\r\n")) {
			return
		}
	}
}

func (ss *session) reply(lines ...string) {
	ss.conn.Write([]byte(strings.Join(lines, "\r\n") + "\r\n"))
}

// command handles one command line; false ends the session.
func (ss *session) command(line string) bool {
	verb, arg, _ := strings.Cut(line, " ")
	switch strings.ToUpper(verb) {
	case "EHLO", "HELO":
		ss.ehlo()
	case "STARTTLS":
		return ss.startTLS()
	case "AUTH":
		ss.auth(arg)
	case "MAIL":
		ss.msg.From = addr(arg)
		ss.reply("250 OK")
	case "RCPT":
		ss.msg.To = append(ss.msg.To, addr(arg))
		ss.reply("250 OK")
	case "DATA":
		ss.data()
	case "RSET":
		ss.msg = Received{TLS: ss.msg.TLS, User: ss.msg.User}
		ss.reply("250 OK")
	case "NOOP":
		ss.reply("250 OK")
	case "QUIT":
		ss.reply("221 Bye")
		return false
	default:
		ss.reply("502 Command not implemented")
	}
	return true
}

func (ss *session) ehlo() {
	lines := []string{"250-openhall-test", "250-8BITMIME"}
	if ss.s.tls != nil && !ss.msg.TLS {
		lines = append(lines, "250-STARTTLS")
	}
	ss.reply(append(lines, "250 AUTH PLAIN")...)
}

func (ss *session) startTLS() bool {
	if ss.s.tls == nil {
		ss.reply("502 STARTTLS not offered")
		return true
	}
	ss.reply("220 Ready to start TLS")
	tc := tls.Server(ss.conn, ss.s.tls)
	if err := tc.Handshake(); err != nil {
		return false
	}
	ss.conn, ss.r, ss.msg.TLS = tc, bufio.NewReader(tc), true
	return true
}

func (ss *session) auth(arg string) {
	mech, resp, _ := strings.Cut(arg, " ")
	b, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(b), "\x00")
	if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 {
		ss.reply("535 Authentication failed")
		return
	}
	ss.msg.User = parts[1]
	ss.reply("235 Authentication successful")
}

func (ss *session) data() {
	ss.reply("354 End data with <CR><LF>.<CR><LF>")
	var b strings.Builder
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return
		}
		if line == ".\r\n" {
			break
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
	ss.msg.Data = b.String()
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failures > 0 {
		ss.s.failures--
		ss.reply("451 Temporary local problem, try again")
		return
	}
	ss.s.received = append(ss.s.received, ss.msg)
	ss.reply("250 OK: queued as " + strconv.Itoa(len(ss.s.received)))
}

// addr extracts the address of "FROM:<a@b>" or "TO:<a@b>".
func addr(arg string) string {
	i, j := strings.IndexByte(arg, '<'), strings.IndexByte(arg, '>')
	if i < 0 || j < i {
		return arg
	}
	return arg[i+1 : j]
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}
