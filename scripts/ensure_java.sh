#!/usr/bin/env bash
# Makes sure a Java runtime (17 or newer) is on PATH for the Spark target
# (pyspark's local SparkSession runs in a JVM). Installs Debian's
# openjdk-17-jre-headless with apt when missing (as root, or with sudo without a
# password); otherwise says why and exits 1 (the Spark tests then fail, naming it).
set -u
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo -n apt-get)
else
  echo "ensure_java: no java on PATH and apt needs root; install openjdk-17-jre-headless" >&2
  exit 1
fi
echo "ensure_java: installing Debian's openjdk-17-jre-headless …" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${apt_get[@]}" install -y -q --no-install-recommends openjdk-17-jre-headless >/dev/null 2>&1; then
  "${apt_get[@]}" update -q >/dev/null 2>&1
  "${apt_get[@]}" install -y -q --no-install-recommends openjdk-17-jre-headless >/dev/null 2>&1 || {
    echo "ensure_java: apt could not install openjdk-17-jre-headless" >&2
    exit 1
  }
fi
command -v java >/dev/null 2>&1
