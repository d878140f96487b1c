// Command clientgo-candidate is a coordinated leader-election candidate built only from
// k8s.io/client-go (the version pinned in go.mod, the one kube-launcher's kube-apiserver is
// built with): a LeaseCandidate made by leaderelection.NewCandidate, and
// leaderelection.RunOrDie with Coordinated: true and ReleaseOnCancel: true. The integration
// tests run it next to this library's candidates to measure client-go on the same control
// plane (issue 31).
//
// Standard output carries one line per event, and nothing else:
//
//	STARTED <identity>   the candidate runs (its LeaseCandidate is created or renewed next)
//	LEADING <identity>   OnStartedLeading: client-go began a term
//	STOPPED <identity>   OnStoppedLeading after a term (client-go released the Lease first
//	                     when the term ended by SIGTERM)
//	EXITED <identity>    about to exit 0
//
// SIGTERM or SIGINT (or EOF on stdin with -exit-with-stdin) cancels the election: client-go
// releases the Lease if it holds it; then the LeaseCandidate is deleted unless
// -delete-candidate=false. client-go itself never deletes a LeaseCandidate (it stays until the
// API server's garbage collector removes it, about 30 minutes later); -delete-candidate=false
// is that plain client-go behaviour, the departed process of issue 31. client-go logs (klog,
// -v N) go to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2"
)

func main() {
	os.Exit(run())
}

func run() int {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file (required)")
	namespace := flag.String("namespace", "default", "namespace of the Lease and the LeaseCandidate")
	lease := flag.String("lease", "", "name of the Lease (required)")
	identity := flag.String("identity", "", "identity: holder identity and LeaseCandidate name (required)")
	binaryVersion := flag.String("binary-version", "1.36.0", "LeaseCandidate spec.binaryVersion")
	emulationVersion := flag.String("emulation-version", "", "LeaseCandidate spec.emulationVersion (default: -binary-version)")
	leaseDuration := flag.Duration("lease-duration", 6*time.Second, "LeaderElectionConfig.LeaseDuration")
	renewDeadline := flag.Duration("renew-deadline", 4*time.Second, "LeaderElectionConfig.RenewDeadline")
	retryPeriod := flag.Duration("retry-period", time.Second, "LeaderElectionConfig.RetryPeriod")
	deleteCandidate := flag.Bool("delete-candidate", true, "delete the LeaseCandidate after the election stops (false: leave it, as client-go does)")
	exitWithStdin := flag.Bool("exit-with-stdin", false, "stop as on SIGTERM when stdin reaches EOF")
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" || *lease == "" || *identity == "" {
		fmt.Fprintln(os.Stderr, "clientgo-candidate: -kubeconfig, -lease and -identity are required")
		flag.Usage()
		return 2
	}
	if *emulationVersion == "" {
		*emulationVersion = *binaryVersion
	}

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.ErrorS(err, "cannot read the kubeconfig", "path", *kubeconfig)
		return 1
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		klog.ErrorS(err, "cannot make a client")
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	candidate, _, err := leaderelection.NewCandidate(client, *namespace, *identity, *lease,
		*binaryVersion, *emulationVersion, coordinationv1.OldestEmulationVersion)
	if err != nil {
		klog.ErrorS(err, "cannot make the LeaseCandidate controller")
		return 1
	}
	// The candidate outlives the election by the release, so that it still answers pings then.
	candidateCtx, stopCandidate := context.WithCancel(context.Background())
	candidateDone := make(chan struct{})
	go func() {
		defer close(candidateDone)
		candidate.Run(candidateCtx)
	}()

	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Namespace: *namespace, Name: *lease},
		Client:     client.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: *identity},
	}
	var mu sync.Mutex
	leading := false
	fmt.Printf("STARTED %s\n", *identity)
	leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
		Lock:            lock,
		Name:            *lease,
		LeaseDuration:   *leaseDuration,
		RenewDeadline:   *renewDeadline,
		RetryPeriod:     *retryPeriod,
		ReleaseOnCancel: true,
		Coordinated:     true,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(context.Context) {
				mu.Lock()
				defer mu.Unlock()
				leading = true
				fmt.Printf("LEADING %s\n", *identity)
			},
			OnStoppedLeading: func() {
				mu.Lock()
				defer mu.Unlock()
				if leading {
					leading = false
					fmt.Printf("STOPPED %s\n", *identity)
				}
			},
		},
	})

	stopCandidate()
	<-candidateDone
	if *deleteCandidate {
		deleteCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := client.CoordinationV1beta1().LeaseCandidates(*namespace).Delete(deleteCtx, *identity,
			metav1.DeleteOptions{})
		cancel()
		if err != nil && !apierrors.IsNotFound(err) {
			klog.ErrorS(err, "cannot delete the LeaseCandidate", "name", *identity)
		}
	}
	fmt.Printf("EXITED %s\n", *identity)
	return 0
}
