package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"openhall/internal/config"
)

// node is one `openhall serve` process of a cluster run.
type node struct {
	name string
	o    clusterOptions
	addr string
	cmd  *exec.Cmd
	log  *lockedLog
}

func newNode(o clusterOptions, name string) *node { return &node{name: name, o: o} }

func (n *node) url() string { return "http://" + n.addr }

// args are the serve flags of a node: the shared database and blob
// location, loopback as the trusted reverse proxy, and SMS written to the
// log, so that notifications have an outside channel to be delivered over.
func (n *node) args(extra ...string) []string {
	args := []string{"serve", "--addr", n.addr, "--db", n.o.DB, "--data", n.o.Data,
		"--trusted-proxies", "127.0.0.1", "--sms-gateway", "log", "--shutdown-grace", "2s"}
	if n.o.Blobs != "" {
		args = append(args, "--blobs", n.o.Blobs)
	}
	return append(args, extra...)
}

// s3Env is the object store's settings given on the command line, as the
// environment of a node: keys in its arguments would show in the process
// list.
func s3Env(c config.Config) []string {
	var env []string
	timeout := ""
	if c.S3Timeout != 0 {
		timeout = c.S3Timeout.String()
	}
	for name, v := range map[string]string{"ENDPOINT": c.S3Endpoint, "REGION": c.S3Region, "CA": c.S3CA,
		"ACCESS_KEY": c.S3AccessKey, "SECRET_KEY": c.S3SecretKey, "TIMEOUT": timeout} {
		if v != "" {
			env = append(env, "OPENHALL_S3_"+name+"="+v)
		}
	}
	return env
}

// start runs the node (again, on the same address after a kill) and waits
// until it is ready.
func (n *node) start(ctx context.Context, extra ...string) error {
	if n.addr == "" {
		addr, err := loopbackAddr()
		if err != nil {
			return err
		}
		n.addr = addr
	}
	n.log = &lockedLog{}
	n.cmd = exec.Command(n.o.Bin, n.args(extra...)...)
	n.cmd.Env = append(os.Environ(), s3Env(n.o.S3)...)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		return fmt.Errorf("node %s: %w", n.name, err)
	}
	return n.waitReady(ctx)
}

func (n *node) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(90 * time.Second)
	for ctx.Err() == nil {
		res, err := http.Get(n.url() + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("node %s on %s never became ready: %v\n%s", n.name, n.addr, err, n.log.tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ctx.Err()
}

// kill ends the node with SIGKILL, as a crash or the OOM killer would.
func (n *node) kill() error {
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill node %s: %w", n.name, err)
	}
	n.cmd.Wait()
	return nil
}

// stop ends a node that still runs with SIGTERM (SIGKILL after 10 s).
func (n *node) stop() {
	if n.cmd == nil || n.cmd.ProcessState != nil {
		return
	}
	n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		n.cmd.Process.Kill()
		<-done
	}
}

func loopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func commandContext(ctx context.Context, bin string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, bin, args...)
}

// lockedLog collects a node's output.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tail is the end of the output, for an error message.
func (l *lockedLog) tail() string {
	s := l.String()
	return s[max(0, len(s)-4000):]
}
