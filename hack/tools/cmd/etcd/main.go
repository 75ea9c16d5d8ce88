// Command etcd is the etcd server (go.etcd.io/etcd/server/v3, the version
// knap's own embedded etcd uses) that backs the kube-apiserver of the local
// control plane. Same flags as the upstream etcd binary.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
