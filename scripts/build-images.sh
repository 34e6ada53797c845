#!/usr/bin/env bash
# Builds every image the one-node cluster runs, with buildah and no container registry: the root filesystem comes
# from Debian packages (debootstrap), the Java runtime from the local JDK (jlink), the pause binary from
# Kubernetes' own source (Go module proxy), Keycloak from Maven Central, our services from `mvn package`.
#
#   scripts/build-images.sh        (as root: debootstrap, chroot and buildah's overlay storage need it)
#
# Writes one docker archive per image to $KEYCLOAK_GITOPS_IMAGES (default ~/.cache/keycloak-gitops/images):
# <name>.tar, importable with `ctr -n k8s.io images import <name>.tar`, and prints the references, all
# localhost/keycloak-gitops/<name>:<project version>. Each archive has a <name>.inputs stamp (a hash of its recipe
# and inputs): an image whose inputs did not change is not rebuilt, so a warm run only checks the stamps.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/lib.sh"

cache="$HOME/.cache/keycloak-gitops"
out="${KEYCLOAK_GITOPS_IMAGES:-$cache/images}"
work="$cache/image-build"
prefix=localhost/keycloak-gitops
version=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$root/pom.xml")
keycloak_version=$(sed -n 's|.*<keycloak.version>\(.*\)</keycloak.version>.*|\1|p' "$root/pom.xml")
kubernetes_version=v1.34.4
debian_suite=bookworm
debian_mirror=http://deb.debian.org/debian
services="webhook reconciler realm-sync"

[ "$(id -u)" = 0 ] || { echo "error: build-images.sh must run as root (debootstrap, chroot, buildah storage)" >&2; exit 1; }
ensure_debian_packages buildah debootstrap gcc libc6-dev
use_jdk21
mkdir -p "$out" "$work"
build_log=""
trap 'status=$?; [[ $status != 0 && -n "$build_log" ]] && tail -20 "$build_log" >&2; exit $status' EXIT

# A private buildah store under the cache: the images survive between runs and nothing touches the host's default
# store. The run root holds only locks and mounts.
bah() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver overlay "$@"; }

# A short content hash of everything given on stdin.
digest() { sha256sum | cut -c1-16; }

# Builds image $1 with function $2 unless $out/$1.tar was built from inputs $3; afterwards the image is in the
# store (loaded back from the archive if the store lost it) so that later images can build FROM it.
image() {
  local name=$1 build=$2 inputs=$3 ref="$prefix/$1:$version" start=$SECONDS
  if [[ -f "$out/$name.tar" && "$(cat "$out/$name.inputs" 2>/dev/null)" == "$inputs" ]]; then
    if [[ "$(bah inspect --type image --format '{{index .OCIv1.Config.Labels "keycloak-gitops.inputs"}}' "$ref" 2>/dev/null)" != "$inputs" ]]; then
      bah pull -q "docker-archive:$out/$name.tar" >/dev/null
    fi
    echo "$ref (up to date)" >&2
  else
    echo "building $ref (log: $work/$name.log)" >&2
    build_log="$work/$name.log"
    "$build" "$ref" "$inputs" >"$build_log" 2>&1
    build_log=""
    rm -f "$out/$name.tar" "$out/$name.inputs"
    bah push -q "$ref" "docker-archive:$out/$name.tar:$ref"
    echo "$inputs" > "$out/$name.inputs"
    echo "$ref built in $((SECONDS - start)) s, $(du -m "$out/$name.tar" | cut -f1) MB" >&2
  fi
  echo "$ref"
}

# Commits working container $1 as image $2 with the inputs label (the archive's stamp travels with the image).
commit() {
  bah config --label "keycloak-gitops.inputs=$3" "$1"
  bah commit -q --rm "$1" "$2" >/dev/null
}

# Removes what an image does not need from root filesystem $1: package caches and lists, documentation, logs.
trim_rootfs() {
  rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/cache/debconf/*-old "$1"/var/log/* \
    "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/usr/share/locale/* "$1"/tmp/* "$1"/root/.??*
}

# The Debian root filesystem every image but pause starts from, with the numeric users the images run as:
# 65532 "nonroot" (our services, as in distroless) and 1000 in group 0 (Keycloak, as in the upstream image).
make_rootfs() {
  local dir=$1
  rm -rf "$dir.tmp"
  debootstrap --variant=minbase "$debian_suite" "$dir.tmp" "$debian_mirror" >"$work/debootstrap.log" 2>&1 \
    || { echo "error: debootstrap failed, see $work/debootstrap.log" >&2; exit 1; }
  chroot "$dir.tmp" groupadd -g 65532 nonroot
  chroot "$dir.tmp" useradd -K UID_MAX=65534 -u 65532 -g 65532 -d /home/nonroot -M -s /usr/sbin/nologin nonroot
  chroot "$dir.tmp" useradd -u 1000 -g 0 -d /opt/keycloak -M -s /usr/sbin/nologin keycloak
  trim_rootfs "$dir.tmp"
  mv "$dir.tmp" "$dir"
}

# The Java runtime of the JDK this script runs with: every module except the development tools (compiler, jshell,
# debugger, jlink itself...), so that Keycloak and our services find whatever they load reflectively.
java_modules() {
  "$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
    | grep -vxE 'jdk\.(incubator\..*|compiler|javadoc|jshell|jdeps|jlink|jpackage|jartool|jconsole|jdi|jdwp\.agent|jstatd|editpad|hotspot\.agent|internal\.(ed|le|md|opt|jvmstat)|graal\.compiler(\.management)?|internal\.vm\.ci|attach|jcmd)' \
    | paste -sd, -
}

build_base() {
  local ref=$1 inputs=$2 jre="$work/jre" c
  rm -rf "$jre"
  "$JAVA_HOME/bin/jlink" --add-modules "$(java_modules)" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$jre"
  c=$(bah from scratch)
  bah copy "$c" "$rootfs/" / >/dev/null
  bah copy "$c" "$jre/" /opt/java/openjdk >/dev/null
  bah run --isolation chroot "$c" -- ln -s /opt/java/openjdk/bin/java /usr/bin/java
  bah config --env JAVA_HOME=/opt/java/openjdk --env LANG=C.UTF-8 "$c"
  rm -rf "$jre"
  commit "$c" "$ref" "$inputs"
}

# Kubernetes' pause binary, built as its Makefile does (static, -Os), from the module zip of the Kubernetes version
# the cluster runs; the image is the binary alone, as upstream's.
build_pause() {
  local ref=$1 inputs=$2 c
  gcc -Os -Wall -Werror -static -DVERSION="$kubernetes_version" -o "$work/pause" "$pause_src"
  c=$(bah from scratch)
  bah copy --chmod 0755 "$c" "$work/pause" /pause >/dev/null
  bah config --entrypoint '["/pause"]' --user 65535:65535 "$c"
  commit "$c" "$ref" "$inputs"
}

# The upstream Containerfile on our base: the dist goes in as an image holding /opt/keycloak, the local stand-in
# for the upstream image that already contains it.
build_keycloak() {
  local ref=$1 inputs=$2 c
  c=$(bah from scratch)
  bah copy "$c" "$keycloak_dist/" /opt/keycloak >/dev/null
  bah commit -q --rm "$c" "$prefix/keycloak-dist:$keycloak_version" >/dev/null
  bah bud -q --layers=false --build-arg "BASE_IMAGE=$prefix/base:$version" \
    --build-arg "KEYCLOAK_DIST=$prefix/keycloak-dist:$keycloak_version" --label "keycloak-gitops.inputs=$inputs" \
    -f "$root/keycloak-image/Containerfile" -t "$ref" "$root/keycloak-image" >/dev/null
  bah rmi "$prefix/keycloak-dist:$keycloak_version" >/dev/null
}

build_service() {
  local ref=$1 inputs=$2 service=${1#"$prefix/"}
  service=${service%:*}
  bah bud -q --layers=false --build-arg "JAVA_BASE=$prefix/base:$version" --build-arg "SERVICE=$service" \
    --label "keycloak-gitops.inputs=$inputs" -f "$root/images/Containerfile" -t "$ref" "$root" >/dev/null
}

# Debian's PostgreSQL 15 on the base root filesystem (no Java), installed in a chroot copy of it. The "postgres"
# user gets the fixed uid 999 before the package would pick one, so that pods can name it (runAsUser).
build_postgres() {
  local ref=$1 inputs=$2 dir="$work/postgres-rootfs" c
  rm -rf "$dir"
  cp -a "$rootfs" "$dir"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
  chmod 0755 "$dir/usr/sbin/policy-rc.d"
  chroot "$dir" groupadd -g 999 postgres
  chroot "$dir" useradd -r -u 999 -g 999 -d /var/lib/postgresql -s /bin/bash postgres
  chroot "$dir" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
  # The package's "main" cluster: the entrypoint initialises PGDATA from the environment instead. The LLVM JIT
  # (libLLVM and z3, 130 MB, a hard dependency in Debian) is dropped: the entrypoint runs with jit=off.
  rm -rf "$dir/etc/postgresql/15" "$dir/var/lib/postgresql/15" "$dir/usr/sbin/policy-rc.d" \
    "$dir"/usr/lib/x86_64-linux-gnu/libLLVM-14.so* "$dir"/usr/lib/x86_64-linux-gnu/libz3.so* \
    "$dir"/usr/lib/postgresql/15/lib/llvmjit* "$dir/usr/lib/postgresql/15/lib/bitcode"
  : > "$dir/etc/resolv.conf"
  trim_rootfs "$dir"
  install -m 0755 "$root/images/postgres-entrypoint.sh" "$dir/usr/local/bin/postgres-entrypoint.sh"
  c=$(bah from scratch)
  bah copy "$c" "$dir/" / >/dev/null
  bah config --entrypoint '["/usr/local/bin/postgres-entrypoint.sh"]' --user 999:999 --port 5432 \
    --env PGDATA=/var/lib/postgresql/data/pgdata --env LANG=C.UTF-8 "$c"
  rm -rf "$dir"
  commit "$c" "$ref" "$inputs"
}

# Inputs: each image's recipe (its build function's text) and the content it is built from.
rootfs_inputs=$({ declare -f make_rootfs trim_rootfs; echo "$debian_suite $debian_mirror"; } | digest)
rootfs="$work/rootfs-$rootfs_inputs"
if [[ ! -d "$rootfs" ]]; then
  echo "debootstrap $debian_suite (minbase) into $rootfs" >&2
  rm -rf "$work"/rootfs-*
  make_rootfs "$rootfs"
fi

export PATH="/usr/local/go/bin:$PATH"
require_command go "Go builds nothing here but downloads Kubernetes' source from the Go module proxy"
pause_src="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$kubernetes_version" \
  | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')/build/pause/linux/pause.c"

if [[ ! -x "$cache/keycloak-$keycloak_version/bin/kc.sh" ]]; then
  echo "unpacking the Keycloak $keycloak_version dist (test/support's build, from Maven Central)" >&2
  (cd "$root" && ./mvnw -B -q -pl test/support generate-resources)
fi
keycloak_dist="$cache/keycloak-$keycloak_version"

# The service jars, built only when a source of theirs is newer than the jar.
for s in $services; do
  jar="$root/$s/target/$s.jar"
  if [[ ! -f "$jar" ]] || [[ -n "$(find "$root/pom.xml" "$root/schemas/pom.xml" "$root/schemas/src" "$root/$s/pom.xml" \
      "$root/$s/src" -newer "$jar" -print -quit)" ]]; then
    echo "building the service jars (mvn package)" >&2
    (cd "$root" && ./mvnw -B -o -q package -DskipTests -pl "${services// /,}" -am)
    break
  fi
done

base_inputs=$({ echo "$rootfs_inputs"; declare -f build_base java_modules; cat "$JAVA_HOME/release"; } | digest)
image pause build_pause "$({ declare -f build_pause; echo "$kubernetes_version"; cat "$pause_src"; } | digest)"
image base build_base "$base_inputs"
image keycloak build_keycloak "$({ echo "$base_inputs $keycloak_version"; declare -f build_keycloak;
  cat "$root/keycloak-image/Containerfile" "$root/keycloak-image/build-steps.sh"; } | digest)"
for s in $services; do
  image "$s" build_service "$({ echo "$base_inputs"; declare -f build_service; cat "$root/images/Containerfile";
    sha256sum < "$root/$s/target/$s.jar"; } | digest)"
done
image postgres build_postgres "$({ echo "$rootfs_inputs"; declare -f build_postgres;
  cat "$root/images/postgres-entrypoint.sh"; } | digest)"

# A rebuilt image leaves its predecessor untagged in the store.
bah rmi --prune >/dev/null
