#!/usr/bin/env bash
# ensure_debian_package.sh COMMAND PACKAGE: makes sure COMMAND is on PATH,
# installing Debian's PACKAGE with apt when it is missing (as root, or with sudo
# without a password). Programs that Python or npm packages download at install
# time cannot be fetched on these machines; Debian's packages can. Otherwise
# prints why not and exits 1, so the caller can say what that means.
set -u
command_name=$1
package=$2
if command -v "$command_name" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo -n apt-get)
else
  echo "ensure_debian_package: $command_name is not installed and apt needs root; install $package" >&2
  exit 1
fi
echo "ensure_debian_package: installing Debian's $package …" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${apt_get[@]}" install -y -q --no-install-recommends "$package" >/dev/null 2>&1; then
  "${apt_get[@]}" update -q >/dev/null 2>&1
  "${apt_get[@]}" install -y -q --no-install-recommends "$package" >/dev/null 2>&1 || {
    echo "ensure_debian_package: apt could not install $package" >&2
    exit 1
  }
fi
command -v "$command_name" >/dev/null 2>&1
