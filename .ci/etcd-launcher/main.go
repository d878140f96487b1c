// Command etcd-launcher runs one real etcd v3 server (go.etcd.io/etcd/server/v3/embed) for
// integration tests, without containers; or, with --initial-cluster, one member of a cluster of
// such processes (see member.go).
//
// Once the server is ready it prints
//
//	READY endpoint=<client URL> metrics=<metrics URL>
//
// on stdout. The client URL is https when --cert-file and --key-file are given; with
// --trusted-ca-file clients must also present a certificate signed by that CA. Metrics are
// always served over plain http on their own port (etcd's /metrics, Prometheus text format).
// SIGTERM or SIGINT stops the server; the exit status is then 0. Restarting with the same
// --data-dir and ports brings back the same data, as a restarted member would.
//
// In member mode (--name, --initial-cluster, --peer-port and --client-port) the READY line also
// carries name=<member name> id=<member ID> direct=<etcd's own client URL, bypassing the gate>.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

type options struct {
	dataDir       string
	clientPort    int
	metricsPort   int
	certFile      string
	keyFile       string
	trustedCAFile string
	logLevel      string
	logFile       string
	exitWithStdin bool
	// member mode: etcd's own ports behind the gates
	internalPeerPort   int
	internalClientPort int
	// member mode
	name           string
	initialCluster string
	peerPort       int
	directPort     int
}

func (o *options) memberMode() bool {
	return o.initialCluster != ""
}

func main() {
	os.Exit(run())
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "etcd-launcher: "+format+"\n", args...)
}

func parseFlags() (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("etcd-launcher", flag.ContinueOnError)
	fs.StringVar(&o.dataDir, "data-dir", "", "directory for etcd's data (required; created if missing)")
	fs.IntVar(&o.clientPort, "client-port", 0, "client port on 127.0.0.1 (0 = pick a free one)")
	fs.IntVar(&o.metricsPort, "metrics-port", 0, "plain-http /metrics port on 127.0.0.1 (0 = pick a free one)")
	fs.StringVar(&o.certFile, "cert-file", "", "PEM server certificate: serve clients over TLS (with --key-file)")
	fs.StringVar(&o.keyFile, "key-file", "", "PEM private key of --cert-file")
	fs.StringVar(&o.trustedCAFile, "trusted-ca-file", "", "PEM CA: require client certificates signed by it (needs TLS)")
	fs.StringVar(&o.logLevel, "log-level", "error", "etcd's log level (debug, info, warn, error)")
	fs.StringVar(&o.logFile, "log-file", "", "append all logs (stderr) to this file instead; stdout still gets the READY line")
	fs.BoolVar(&o.exitWithStdin, "exit-with-stdin", false, "stop as on SIGTERM when standard input reaches end of file (the parent process died or closed it)")
	fs.StringVar(&o.name, "name", "", "member mode: this member's name in --initial-cluster")
	fs.StringVar(&o.initialCluster, "initial-cluster", "", "member mode: name=http://127.0.0.1:<peer-port>,... for every member")
	fs.IntVar(&o.peerPort, "peer-port", 0, "member mode: the advertised peer port (this launcher's peer gate)")
	fs.IntVar(&o.directPort, "direct-client-port", 0, "member mode: etcd's own client port behind the client gate (0 = pick a free one)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return nil, err
	}
	if o.memberMode() {
		if o.name == "" || o.peerPort <= 0 || o.clientPort <= 0 {
			return nil, errors.New("--initial-cluster needs --name, --peer-port and --client-port")
		}
		if o.certFile != "" {
			return nil, errors.New("member mode serves plain http only")
		}
		if !strings.Contains(o.initialCluster, o.name+"=") {
			return nil, fmt.Errorf("--initial-cluster does not name %q", o.name)
		}
	}
	if o.dataDir == "" {
		return nil, errors.New("--data-dir is required")
	}
	if (o.certFile == "") != (o.keyFile == "") {
		return nil, errors.New("--cert-file and --key-file go together")
	}
	if o.trustedCAFile != "" && o.certFile == "" {
		return nil, errors.New("--trusted-ca-file needs --cert-file and --key-file")
	}
	for _, port := range []int{o.clientPort, o.metricsPort} {
		if port < 0 || port > 65535 {
			return nil, fmt.Errorf("port %d out of range", port)
		}
	}
	if _, err := zapcore.ParseLevel(o.logLevel); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	abs, err := filepath.Abs(o.dataDir)
	if err != nil {
		return nil, err
	}
	o.dataDir = abs
	return o, nil
}

func run() int {
	o, err := parseFlags()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		logf("%v", err)
		return 2
	}
	if o.logFile != "" {
		if err := redirectStderr(o.logFile); err != nil {
			logf("--log-file: %v", err)
			return 1
		}
	}
	sigCh := make(chan os.Signal, 2)
	signal.Notify(sigCh, syscall.SIGTERM, syscall.SIGINT)
	if err := os.MkdirAll(o.dataDir, 0o700); err != nil {
		logf("%v", err)
		return 1
	}
	var gates *member
	if o.memberMode() {
		etcdPeer, err1 := freePort()
		etcdClient, err2 := o.directPort, error(nil)
		if etcdClient == 0 {
			etcdClient, err2 = freePort()
		}
		if err := errors.Join(err1, err2); err != nil {
			logf("%v", err)
			return 1
		}
		var stopGates func()
		gates, stopGates, err = startGates(o.peerPort, o.clientPort, etcdPeer, etcdClient)
		if err != nil {
			logf("%v", err)
			return 1
		}
		defer stopGates()
		o.internalPeerPort, o.internalClientPort = etcdPeer, etcdClient
	}
	if o.exitWithStdin {
		go func() {
			if gates == nil {
				_, _ = io.Copy(io.Discard, os.Stdin)
			} else {
				lines := bufio.NewScanner(os.Stdin)
				for lines.Scan() {
					if answer := gates.command(lines.Text()); answer != "" {
						fmt.Println(answer)
					}
				}
			}
			logf("standard input closed, stopping")
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}()
	}
	ports := []*int{&o.clientPort, &o.metricsPort}
	for _, port := range ports {
		if *port == 0 {
			if *port, err = freePort(); err != nil {
				logf("%v", err)
				return 1
			}
		}
	}
	peerPort, err := freePort()
	if err != nil {
		logf("%v", err)
		return 1
	}

	level := zap.NewAtomicLevel()
	_ = level.UnmarshalText([]byte(o.logLevel))
	etcd, err := start(o, peerPort, level)
	if err != nil {
		logf("etcd: %v", err)
		return 1
	}
	if gates != nil {
		gates.etcd.Store(etcd)
	}
	defer func() {
		// etcd logs "errors" about its own listeners closing; hide them.
		level.SetLevel(zapcore.FatalLevel)
		etcd.Close()
		<-etcd.Server.StopNotify()
	}()
	select {
	case <-etcd.Server.ReadyNotify():
	case err := <-etcd.Err():
		logf("etcd: %v", err)
		return 1
	case <-time.After(60 * time.Second):
		logf("etcd did not become ready in 60s")
		return 1
	case s := <-sigCh:
		logf("got %v while starting etcd, stopping", s)
		return 0
	}
	cu := clientURL(o)
	member := ""
	if gates != nil {
		member = fmt.Sprintf(" name=%s id=%s direct=http://127.0.0.1:%d", o.name,
			etcd.Server.MemberID().String(), o.internalClientPort)
	}
	fmt.Printf("READY endpoint=%s metrics=%s%s\n", cu.String(),
		"http://127.0.0.1:"+strconv.Itoa(o.metricsPort)+"/metrics", member)
	select {
	case s := <-sigCh:
		logf("got %v, stopping", s)
		return 0
	case err := <-etcd.Err():
		logf("etcd failed: %v", err)
		return 1
	}
}

func clientURL(o *options) url.URL {
	scheme := "http"
	if o.certFile != "" {
		scheme = "https"
	}
	return url.URL{Scheme: scheme, Host: "127.0.0.1:" + strconv.Itoa(o.clientPort)}
}

func start(o *options, peerPort int, level zap.AtomicLevel) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "default"
	cfg.Dir = filepath.Join(o.dataDir, "etcd")
	cu := clientURL(o)
	pu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}
	mu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(o.metricsPort)}
	cfg.ListenClientUrls = []url.URL{cu}
	cfg.AdvertiseClientUrls = []url.URL{cu}
	cfg.ListenPeerUrls = []url.URL{pu}
	cfg.AdvertisePeerUrls = []url.URL{pu}
	cfg.ListenMetricsUrls = []url.URL{mu}
	cfg.Metrics = "basic"
	cfg.InitialCluster = cfg.Name + "=" + pu.String()
	cfg.InitialClusterToken = "etcd-launcher"
	if o.memberMode() {
		// etcd listens on ports of its own; the advertised URLs are the launcher's gates
		cfg.Name = o.name
		lc := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(o.internalClientPort)}
		lp := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(o.internalPeerPort)}
		ap := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(o.peerPort)}
		cfg.ListenClientUrls = []url.URL{lc}
		cfg.AdvertiseClientUrls = []url.URL{cu}
		cfg.ListenPeerUrls = []url.URL{lp}
		cfg.AdvertisePeerUrls = []url.URL{ap}
		cfg.InitialCluster = o.initialCluster
		cfg.InitialClusterToken = "etcd-launcher-cluster"
		// a restarted member has its data: etcd then ignores the initial cluster
		cfg.ClusterState = embed.ClusterStateFlagNew
	}
	if o.certFile != "" {
		cfg.ClientTLSInfo = transport.TLSInfo{
			CertFile:       o.certFile,
			KeyFile:        o.keyFile,
			TrustedCAFile:  o.trustedCAFile,
			ClientCertAuth: o.trustedCAFile != "",
		}
	}
	zc := zap.NewProductionConfig()
	zc.Level = level
	zc.Sampling = nil
	zc.OutputPaths = []string{"stderr"}
	zc.ErrorOutputPaths = []string{"stderr"}
	lg, err := zc.Build()
	if err != nil {
		return nil, err
	}
	cfg.Logger = "zap"
	cfg.LogLevel = level.Level().String()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(lg.Named("etcd"))
	// A throw-away test server does not need durable writes; tests compact when they mean to.
	cfg.UnsafeNoFsync = true
	return embed.StartEtcd(cfg)
}

// redirectStderr points file descriptor 2 (zap and our own messages) at path, so a caller that
// does not drain stderr can never block the server.
func redirectStderr(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return syscall.Dup3(int(f.Fd()), 2, 0)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
