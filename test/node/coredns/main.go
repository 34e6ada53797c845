// CoreDNS with only the plugins of cluster.sh's Corefile.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/template"
)

// The order of plugin.cfg, which decides the order a query passes them.
func init() {
	dnsserver.Directives = []string{"bind", "errors", "cache", "template", "kubernetes"}
}

func main() { coremain.Run() }
