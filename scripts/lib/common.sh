# shellcheck shell=bash
# Helpers shared by the scripts in scripts/. Sourced, not run.

log() { printf '==> %s\n' "$*" >&2; }

die() {
	printf '\nscripts/test: ERROR: %s\n\n' "$*" >&2
	exit 1
}

# banner prints a warning nobody can scroll past without seeing: a test
# kind that silently doesn't run is how regressions get in.
banner() {
	local bar='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
	{
		printf '\n%s\n' "$bar"
		local line
		for line in "$@"; do printf '!!!  %s\n' "$line"; done
		printf '%s\n\n' "$bar"
	} >&2
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# can_apt_install: we may install missing system packages only as root on a
# Debian-like machine (CI's case). A developer's machine is never touched.
can_apt_install() { is_root && command -v apt-get >/dev/null 2>&1; }

_apt_updated=0

# apt_install PKG...: install Debian packages without questions. The package
# lists are refreshed only when needed: when the lists are empty (fresh
# machine) or when a first attempt fails (stale lists pointing at removed
# versions), and at most once per run, since `apt-get update` is slow.
apt_install() {
	local -a apt=(apt-get -y -qq -o DPkg::Lock::Timeout=300)
	export DEBIAN_FRONTEND=noninteractive
	if [[ $_apt_updated -eq 0 ]] && ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
		log "apt-get update (no package lists yet)"
		"${apt[@]}" update >&2 && _apt_updated=1
	fi
	log "apt-get install $*"
	if "${apt[@]}" install "$@" >&2; then
		return 0
	fi
	if [[ $_apt_updated -eq 0 ]]; then
		log "install failed; refreshing the package lists and trying again"
		"${apt[@]}" update >&2 && _apt_updated=1
		"${apt[@]}" install "$@" >&2 && return 0
	fi
	return 1
}
