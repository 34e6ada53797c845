// The Argo CD components the tests run, in one binary that picks the component from its name as Argo CD's own
// cmd/main.go does, without the API server, CLI, Dex, ApplicationSet and notification controllers that the tests
// never start (they are a third of the packages: the cloud SDKs of the SCM providers and notification services).
// argocd-health evaluates a resource's health as `argocd admin settings resource-overrides health` does: argocd-cm
// from a file, the same settings manager, Lua runtime and built-in checks.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"
	"sigs.k8s.io/yaml"

	healthutil "github.com/argoproj/argo-cd/gitops-engine/pkg/health"
	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	gitaskpass "github.com/argoproj/argo-cd/v3/cmd/argocd-git-ask-pass/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/log"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
)

const healthCommandName = "argocd-health"

func init() {
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
}

func main() {
	// No grpc.DisableSRVLookups() as Argo CD's cmd/main.go has: it turns off what the grpclb balancer turns on, and
	// this build does not link grpclb (the call panics when the lookups are off already).
	var command *cobra.Command
	switch name := filepath.Base(os.Args[0]); name {
	case common.CommandApplicationController:
		command = appcontroller.NewCommand()
	case common.CommandRepoServer:
		command = reposerver.NewCommand()
	case common.CommandGitAskPass:
		command = gitaskpass.NewCommand()
	case healthCommandName:
		command = healthCommand()
	default:
		fmt.Fprintf(os.Stderr, "%s is not a component of this build: run it as %s, %s, %s or %s\n", name,
			common.CommandApplicationController, common.CommandRepoServer, common.CommandGitAskPass, healthCommandName)
		os.Exit(2)
	}
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

func healthCommand() *cobra.Command {
	return &cobra.Command{
		Use:   healthCommandName + " RESOURCE_YAML_PATH ARGOCD_CM_YAML_PATH",
		Short: "Assess a resource's health with the checks of an argocd-cm ConfigMap and Argo CD's built-in ones",
		Args:  cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			var resource unstructured.Unstructured
			if err := readYAML(args[0], &resource); err != nil {
				return err
			}
			var argocdCM corev1.ConfigMap
			if err := readYAML(args[1], &argocdCM); err != nil {
				return err
			}
			// The settings manager reads argocd-cm and argocd-secret, labelled as part of Argo CD, from its namespace.
			meta := metav1.ObjectMeta{Namespace: "default", Labels: map[string]string{"app.kubernetes.io/part-of": "argocd"}}
			argocdCM.Namespace, argocdCM.Labels = meta.Namespace, meta.Labels
			argocdSecret := &corev1.Secret{ObjectMeta: meta, Data: map[string][]byte{"server.secretkey": []byte("test")}}
			argocdSecret.Name = common.ArgoCDSecretName
			manager := settings.NewSettingsManager(c.Context(), fake.NewClientset(argocdSecret, &argocdCM), "default")
			if err := manager.ResyncInformers(); err != nil {
				return err
			}
			overrides, err := manager.GetResourceOverrides()
			if err != nil {
				return err
			}
			health, err := healthutil.GetResourceHealth(&resource, lua.ResourceHealthOverrides(overrides))
			switch {
			case err != nil:
				return err
			case health == nil:
				fmt.Printf("Health script is not configured for '%s'\n", resource.GroupVersionKind().GroupKind())
			default:
				fmt.Printf("STATUS: %s\nMESSAGE: %s\n", health.Status, health.Message)
			}
			return nil
		},
	}
}

func readYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(data, into)
}
