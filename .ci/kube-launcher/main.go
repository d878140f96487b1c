// Command kube-launcher runs a real Kubernetes control plane without containers:
// an embedded etcd and the real kube-apiserver, both in this one process.
//
// It is meant for integration tests. Once the API server answers /readyz it
// writes <data-dir>/kubeconfig (admin user, bearer token, CA data) and prints
//
//	READY kubeconfig=<absolute path>
//
// on stdout. SIGTERM or SIGINT stops both servers; the exit status is then 0.
// Anything after "--" on the command line is passed to kube-apiserver as is.
//
// Several API servers over one etcd: --etcd-only runs only etcd (and writes the
// credentials to <data-dir>/certs) and prints
//
//	READY etcd=<client URL>
//
// and each API server then runs with --etcd-servers <URL> (no etcd of its own)
// and --credentials-dir <that certs dir>, so that one token and one CA work on
// every API server.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/grpc/grpclog"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

type options struct {
	dataDir         string
	port            int
	verbosity       int
	readyTimeout    time.Duration
	cle             bool
	etcdLogLevel    string
	logFile         string
	exitWithStdin   bool
	keepCredentials bool
	etcdOnly        bool
	etcdPort        int
	etcdServers     string
	credentialsDir  string
	apiserverArgs   []string
}

func main() {
	os.Exit(run())
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kube-launcher: "+format+"\n", args...)
}

func parseFlags() (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("kube-launcher", flag.ContinueOnError)
	fs.StringVar(&o.dataDir, "data-dir", "", "directory for etcd data, certificates, keys and the kubeconfig (required; created if missing)")
	fs.IntVar(&o.port, "port", 0, "secure port of kube-apiserver on 127.0.0.1 (0 = pick a free one)")
	fs.IntVar(&o.verbosity, "v", 0, "kube-apiserver log verbosity (klog -v)")
	fs.DurationVar(&o.readyTimeout, "ready-timeout", 3*time.Minute, "give up if /readyz is not ok within this time")
	fs.BoolVar(&o.cle, "coordinated-leader-election", false, "enable the CoordinatedLeaderElection feature gate and coordination.k8s.io/v1beta1 (keeps Lease spec.preferredHolder and spec.strategy); off, as in a default cluster")
	fs.BoolVar(&o.exitWithStdin, "exit-with-stdin", false, "stop as on SIGTERM when standard input reaches end of file (the parent process died or closed it)")
	fs.StringVar(&o.etcdLogLevel, "etcd-log-level", "error", "log level of the embedded etcd (debug, info, warn, error)")
	fs.BoolVar(&o.keepCredentials, "keep-credentials", false, "reuse the token, keys and certificates an earlier start wrote to the data directory, so clients keep working across a restart")
	fs.BoolVar(&o.etcdOnly, "etcd-only", false, "run only etcd (and write the credentials to DIR/certs for API servers started with --credentials-dir); prints READY etcd=<client URL>")
	fs.IntVar(&o.etcdPort, "etcd-port", 0, "etcd client port on 127.0.0.1 (0 = pick a free one)")
	fs.StringVar(&o.etcdServers, "etcd-servers", "", "run only kube-apiserver, against this etcd (comma-separated client URLs) instead of an embedded one")
	fs.StringVar(&o.credentialsDir, "credentials-dir", "", "read the token, keys and certificates from this directory (made there if missing) instead of DIR/certs; implies --keep-credentials")
	fs.StringVar(&o.logFile, "log-file", "", "append all logs (stderr) to this file instead; stdout still gets the READY line")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: kube-launcher --data-dir DIR [--port N] [flags] [-- extra kube-apiserver flags]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		return nil, err
	}
	o.apiserverArgs = fs.Args()
	if o.dataDir == "" {
		fs.Usage()
		return nil, errors.New("--data-dir is required")
	}
	if o.port < 0 || o.port > 65535 {
		return nil, fmt.Errorf("--port %d out of range", o.port)
	}
	if o.etcdPort < 0 || o.etcdPort > 65535 {
		return nil, fmt.Errorf("--etcd-port %d out of range", o.etcdPort)
	}
	if o.etcdOnly && o.etcdServers != "" {
		return nil, errors.New("--etcd-only and --etcd-servers exclude each other")
	}
	abs, err := filepath.Abs(o.dataDir)
	if err != nil {
		return nil, err
	}
	o.dataDir = abs
	if o.credentialsDir != "" {
		if o.credentialsDir, err = filepath.Abs(o.credentialsDir); err != nil {
			return nil, err
		}
		o.keepCredentials = true
	}
	if _, err := zapcore.ParseLevel(o.etcdLogLevel); err != nil {
		return nil, fmt.Errorf("--etcd-log-level: %w", err)
	}
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
	// k8s.io/apiserver's etcd3 package routes gRPC client warnings to klog; at
	// low verbosity they are only noise (dials cancelled during start-up).
	if o.verbosity < 2 {
		grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, io.Discard, os.Stderr))
	}

	// Our own view of SIGTERM/SIGINT. kube-apiserver's command installs its own
	// handler too (genericapiserver.SetupSignalContext, in NewAPIServerCommand),
	// which cancels the server's context on the first signal.
	sigCh := make(chan os.Signal, 2)
	signal.Notify(sigCh, syscall.SIGTERM, syscall.SIGINT)
	if o.exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logf("standard input closed, stopping")
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}()
	}

	certDir := filepath.Join(o.dataDir, "certs")
	credDir := certDir
	if o.credentialsDir != "" {
		credDir = o.credentialsDir
	}
	for _, d := range []string{o.dataDir, certDir, credDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			logf("%v", err)
			return 1
		}
	}

	// Credentials and keys: new on every start, unless --keep-credentials finds those of an
	// earlier start in the data directory (a restart, as a real API server keeps its own).
	tokenFile := filepath.Join(credDir, "tokens.csv")
	saKeyFile := filepath.Join(credDir, "service-account.key")
	token, caPEM, kept := "", []byte(nil), false
	if o.keepCredentials {
		token, caPEM, kept = readCredentials(credDir)
	}
	if !kept {
		var err error
		if token, err = randomHex(32); err != nil {
			logf("token: %v", err)
			return 1
		}
		if err := os.WriteFile(tokenFile, []byte(token+",admin,admin-uid,\"system:masters\"\n"), 0o600); err != nil {
			logf("%v", err)
			return 1
		}
		if err := writeRSAKey(saKeyFile); err != nil {
			logf("service account key: %v", err)
			return 1
		}
		if caPEM, err = writeServingCerts(credDir); err != nil {
			logf("serving certificate: %v", err)
			return 1
		}
	}

	// Ports.
	apiPort := o.port
	if apiPort == 0 {
		if apiPort, err = freePort(); err != nil {
			logf("%v", err)
			return 1
		}
	}

	// Build the kube-apiserver command now, so that its signal handler is in
	// place before anything slow happens.
	var apiCmd interface {
		SetArgs([]string)
		Execute() error
	}
	if !o.etcdOnly {
		apiCmd = app.NewAPIServerCommand()
	}

	// etcd: embedded, unless the API server uses an external one.
	etcdServers := o.etcdServers
	var etcdErr <-chan error // nil (never ready) without an embedded etcd
	if etcdServers == "" {
		etcdClientPort := o.etcdPort
		if etcdClientPort == 0 {
			if etcdClientPort, err = freePort(); err != nil {
				logf("%v", err)
				return 1
			}
		}
		etcdPeerPort, err := freePort()
		if err != nil {
			logf("%v", err)
			return 1
		}
		etcdLevel := zap.NewAtomicLevel()
		_ = etcdLevel.UnmarshalText([]byte(o.etcdLogLevel))
		etcd, err := startEtcd(filepath.Join(o.dataDir, "etcd"), etcdClientPort, etcdPeerPort, etcdLevel)
		if err != nil {
			logf("etcd: %v", err)
			return 1
		}
		defer func() {
			// etcd logs "errors" about its own listeners closing; hide them.
			etcdLevel.SetLevel(zapcore.FatalLevel)
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
		etcdErr = etcd.Err()
		etcdServers = "http://127.0.0.1:" + strconv.Itoa(etcdClientPort)
	}

	if o.etcdOnly {
		fmt.Printf("READY etcd=%s\n", etcdServers)
		select {
		case s := <-sigCh:
			logf("got %v, stopping", s)
			return 0
		case err := <-etcdErr:
			logf("etcd failed: %v", err)
			return 1
		}
	}

	args := []string{
		"--etcd-servers=" + etcdServers,
		"--advertise-address=127.0.0.1",
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(apiPort),
		"--cert-dir=" + certDir,
		"--tls-cert-file=" + filepath.Join(credDir, "apiserver.crt"),
		"--tls-private-key-file=" + filepath.Join(credDir, "apiserver.key"),
		"--endpoint-reconciler-type=none",
		"--disable-admission-plugins=ServiceAccount",
		"--authorization-mode=RBAC",
		"--token-auth-file=" + tokenFile,
		"--service-account-key-file=" + saKeyFile,
		"--service-account-signing-key-file=" + saKeyFile,
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--v=" + strconv.Itoa(o.verbosity),
	}
	if o.cle {
		args = append(args,
			"--feature-gates=CoordinatedLeaderElection=true",
			"--runtime-config=coordination.k8s.io/v1beta1=true",
		)
	}
	args = append(args, o.apiserverArgs...)
	apiCmd.SetArgs(args)

	apiDone := make(chan error, 1)
	go func() { apiDone <- apiCmd.Execute() }()

	server := "https://127.0.0.1:" + strconv.Itoa(apiPort)
	readyCtx, cancelReady := context.WithTimeout(context.Background(), o.readyTimeout)
	readyCh := make(chan error, 1)
	go func() { readyCh <- waitReady(readyCtx, server, token, caPEM) }()

	stopping := false
	select {
	case err := <-readyCh:
		cancelReady()
		if err != nil {
			logf("kube-apiserver not ready: %v", err)
			return 1
		}
	case err := <-apiDone:
		cancelReady()
		logf("kube-apiserver exited before it was ready: %v", err)
		return 1
	case s := <-sigCh:
		cancelReady()
		logf("got %v while starting kube-apiserver, stopping", s)
		stopping = true
	}

	if !stopping {
		kubeconfig := filepath.Join(o.dataDir, "kubeconfig")
		if err := writeKubeconfig(kubeconfig, server, token, caPEM); err != nil {
			logf("kubeconfig: %v", err)
			return 1
		}
		fmt.Printf("READY kubeconfig=%s\n", kubeconfig)
		select {
		case s := <-sigCh:
			logf("got %v, stopping", s)
		case err := <-apiDone:
			logf("kube-apiserver exited: %v", err)
			return 1
		case err := <-etcdErr:
			logf("etcd failed: %v", err)
			return 1
		}
	}

	// kube-apiserver saw the same signal and is shutting down; wait for it.
	select {
	case err := <-apiDone:
		if err != nil {
			logf("kube-apiserver stopped with: %v", err)
		}
	case <-time.After(30 * time.Second):
		logf("kube-apiserver did not stop within 30s")
		return 1
	case s := <-sigCh:
		logf("got a second %v, exiting now", s)
		return 1
	}
	return 0
}

func startEtcd(dir string, clientPort, peerPort int, level zap.AtomicLevel) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "default"
	cfg.Dir = dir
	cu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(clientPort)}
	pu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}
	cfg.ListenClientUrls = []url.URL{cu}
	cfg.AdvertiseClientUrls = []url.URL{cu}
	cfg.ListenPeerUrls = []url.URL{pu}
	cfg.AdvertisePeerUrls = []url.URL{pu}
	cfg.InitialCluster = cfg.Name + "=" + pu.String()
	cfg.InitialClusterToken = "kube-launcher"
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
	// A throw-away test cluster does not need durable writes.
	cfg.UnsafeNoFsync = true
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "5m"
	return embed.StartEtcd(cfg)
}

// waitReady polls /readyz until it answers 200 "ok".
func waitReady(ctx context.Context, server, token string, caPEM []byte) error {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	last := errors.New("no answer yet")
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err == nil {
			body := make([]byte, 512)
			n, _ := resp.Body.Read(body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("HTTP %d: %s", resp.StatusCode, body[:n])
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func writeKubeconfig(path, server, token string, caPEM []byte) error {
	content := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kube-launcher
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: kube-launcher
  context:
    cluster: kube-launcher
    user: admin
    namespace: default
current-context: kube-launcher
`, server, base64.StdEncoding.EncodeToString(caPEM), token)
	return writeFileAtomic(path, []byte(content), 0o600)
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// redirectStderr points file descriptor 2 (klog, zap and our own messages) at
// path, so a caller that does not drain stderr can never block the servers.
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

// readCredentials reads the admin token and CA certificate an earlier start wrote to dir; ok is
// false unless every credential file is there.
func readCredentials(dir string) (token string, caPEM []byte, ok bool) {
	for _, name := range []string{"service-account.key", "apiserver.crt", "apiserver.key"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", nil, false
		}
	}
	tokens, err := os.ReadFile(filepath.Join(dir, "tokens.csv"))
	if err != nil {
		return "", nil, false
	}
	caPEM, err = os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return "", nil, false
	}
	token, _, found := strings.Cut(string(tokens), ",")
	return token, caPEM, found && token != ""
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func writeRSAKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// writeServingCerts makes a throw-away CA and a serving certificate for
// 127.0.0.1/localhost signed by it, writes apiserver.crt/apiserver.key and
// ca.crt into dir, and returns the CA certificate in PEM form.
func writeServingCerts(dir string) ([]byte, error) {
	now := time.Now()
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kube-launcher-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP("10.0.0.1")},
		DNSNames:     []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	files := map[string][]byte{
		"ca.crt":        caPEM,
		"apiserver.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		"apiserver.key": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	return caPEM, nil
}
