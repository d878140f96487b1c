package main

// Member mode: one member of a multi-member etcd cluster, each member its own process, so a test
// can kill and restart members independently. The member's advertised peer and client URLs are
// gates of this launcher in front of etcd's own listeners (on free ports of their own), which the
// test drives through commands on standard input:
//
//	block-peers m2,m3      refuse raft traffic from these members (and cut what is in flight)
//	block-peers            let every member through again
//	clients refuse         close every client connection and refuse new ones
//	clients blackhole      keep client connections but drop every byte both ways
//	clients open           let clients through again (blackholed connections are closed)
//
// Each command is answered on stdout with "OK <command>" or "ERR <command>: <reason>".
//
// Why not Toxiproxy on the peer URLs: etcd members dial each other both ways (a member's stream
// readers dial the other's URL, and it sends through pipelines to the other's URL), so a proxy in
// front of one member's URL cannot cut it off; the peer gate tells members apart by the
// X-Server-From header rafthttp puts on every request, so blocking member B on A, C and (A and C)
// on B is a real partition of B.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// peerGate is an HTTP reverse proxy in front of etcd's peer listener that refuses the members it
// was told to block.
type peerGate struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	// blocked member IDs (hex, as rafthttp writes them in X-Server-From)
	blocked map[string]bool
	// in-flight requests by sender, so a block cuts long-lived raft streams too
	active map[string]map[*context.CancelFunc]struct{}
}

func newPeerGate(target url.URL) *peerGate {
	proxy := httputil.NewSingleHostReverseProxy(&target)
	proxy.FlushInterval = -1
	proxy.Transport = &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: time.Second}).DialContext,
		MaxIdleConnsPerHost: 64,
		DisableCompression:  true,
	}
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		// etcd is going away, or the request was cut by a block: drop the connection
		panic(http.ErrAbortHandler)
	}
	return &peerGate{proxy: proxy, blocked: map[string]bool{}, active: map[string]map[*context.CancelFunc]struct{}{}}
}

func (g *peerGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	from := r.Header.Get("X-Server-From")
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	g.mu.Lock()
	if from != "" && g.blocked[from] {
		g.mu.Unlock()
		panic(http.ErrAbortHandler) // as if the network dropped it: no answer, connection closed
	}
	set := g.active[from]
	if set == nil {
		set = map[*context.CancelFunc]struct{}{}
		g.active[from] = set
	}
	set[&cancel] = struct{}{}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(set, &cancel)
		g.mu.Unlock()
	}()
	g.proxy.ServeHTTP(w, r.WithContext(ctx))
}

// block replaces the set of blocked member IDs and cuts their requests in flight.
func (g *peerGate) block(ids []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.blocked = map[string]bool{}
	for _, id := range ids {
		g.blocked[id] = true
		for cancel := range g.active[id] {
			(*cancel)()
		}
	}
}

// clientGate is a TCP proxy in front of etcd's client listener (gRPC over HTTP/2).
type clientGate struct {
	target string
	mode   atomic.Value // "open", "refuse" or "blackhole"
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
}

func newClientGate(target string) *clientGate {
	g := &clientGate{target: target, conns: map[net.Conn]struct{}{}}
	g.mode.Store("open")
	return g
}

func (g *clientGate) serve(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if g.mode.Load() == "refuse" {
			_ = conn.Close()
			continue
		}
		go g.forward(conn)
	}
}

func (g *clientGate) forward(in net.Conn) {
	out, err := net.DialTimeout("tcp", g.target, time.Second)
	if err != nil {
		_ = in.Close()
		return
	}
	g.mu.Lock()
	g.conns[in] = struct{}{}
	g.conns[out] = struct{}{}
	g.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32*1024)
		for {
			n, err := src.Read(buf)
			if n > 0 && g.mode.Load() == "open" {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go pipe(out, in)
	go pipe(in, out)
	<-done
	_ = in.Close()
	_ = out.Close()
	<-done
	g.mu.Lock()
	delete(g.conns, in)
	delete(g.conns, out)
	g.mu.Unlock()
}

func (g *clientGate) set(mode string) error {
	switch mode {
	case "open", "refuse", "blackhole":
	default:
		return fmt.Errorf("clients: want open, refuse or blackhole, not %q", mode)
	}
	old := g.mode.Swap(mode)
	if mode == "refuse" || (old == "blackhole" && mode == "open") {
		// refused: cut what is open; healed from a blackhole: streams missed bytes, start over
		g.mu.Lock()
		for conn := range g.conns {
			_ = conn.Close()
		}
		g.mu.Unlock()
	}
	return nil
}

// member is the running member's gates and server, for the commands.
type member struct {
	peers   *peerGate
	clients *clientGate
	etcd    atomic.Pointer[embed.Etcd]
}

// command runs one line of standard input and returns the answer line.
func (m *member) command(line string) string {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	var err error
	switch fields[0] {
	case "block-peers":
		var names []string
		if len(fields) > 1 {
			names = strings.Split(fields[1], ",")
		}
		var ids []string
		ids, err = m.memberIDs(names)
		if err == nil {
			m.peers.block(ids)
		}
	case "clients":
		if len(fields) != 2 {
			err = errors.New("clients takes one of open, refuse, blackhole")
		} else {
			err = m.clients.set(fields[1])
		}
	default:
		err = errors.New("unknown command")
	}
	if err != nil {
		return "ERR " + line + ": " + err.Error()
	}
	return "OK " + line
}

func (m *member) memberIDs(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	e := m.etcd.Load()
	if e == nil {
		return nil, errors.New("etcd is not started yet")
	}
	byName := map[string]string{}
	for _, mem := range e.Server.Cluster().Members() {
		byName[mem.Name] = mem.ID.String()
	}
	var ids []string
	for _, name := range names {
		id, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("no member named %q", name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// startGates listens on the advertised peer and client ports and forwards to etcd's own.
func startGates(peerPort, clientPort, etcdPeerPort, etcdClientPort int) (*member, func(), error) {
	pl, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", peerPort))
	if err != nil {
		return nil, nil, fmt.Errorf("peer port: %w", err)
	}
	cl, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", clientPort))
	if err != nil {
		_ = pl.Close()
		return nil, nil, fmt.Errorf("client port: %w", err)
	}
	m := &member{
		peers:   newPeerGate(url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", etcdPeerPort)}),
		clients: newClientGate(fmt.Sprintf("127.0.0.1:%d", etcdClientPort)),
	}
	server := &http.Server{Handler: m.peers, ErrorLog: nil, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(pl) }()
	go m.clients.serve(cl)
	stop := func() {
		_ = server.Close()
		_ = cl.Close()
		_ = m.clients.set("refuse")
	}
	return m, stop, nil
}
