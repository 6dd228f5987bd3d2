# shellcheck shell=bash disable=SC2034 # SHACL_STATE is read by scripts/test
# The SHACL validator that the DCAT-AP export test runs: Node.js with the
# packages pinned in tools/shacl/package-lock.json (rdf-validate-shacl, an
# N3 Turtle parser, a JSON-LD parser), installed once per lock file into a
# cache directory. Sourced by scripts/test.
#
# Exports OPENHALL_SHACL_DIR (unset when the validator is unavailable).
# OPENHALL_REQUIRE_SHACL=1 (.ci/run) makes a missing validator an error,
# after installing Node.js with apt-get when running as root.

SHACL_STATE="not reached"

# shacl_node_ok: node (18 or later) and npm are on PATH.
shacl_node_ok() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
	[[ $major -ge 18 ]]
}

shacl_ensure() {
	if ! shacl_node_ok && [[ ${OPENHALL_REQUIRE_SHACL:-} == 1 ]] && can_apt_install; then
		log "Node.js not found; installing it (OPENHALL_REQUIRE_SHACL=1)"
		apt_install nodejs npm || log "apt-get install nodejs npm failed"
	fi
	if ! shacl_node_ok; then
		shacl_unavailable "no Node.js 18+ with npm"
		return 0
	fi
	local sum dir
	sum=$(sha256sum tools/shacl/package-lock.json | cut -c1-16)
	dir=${OPENHALL_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/openhall}/shacl-$sum
	if [[ ! -f $dir/node_modules/rdf-validate-shacl/package.json ]]; then
		mkdir -p "$dir"
		cp tools/shacl/package.json tools/shacl/package-lock.json "$dir/"
		log "npm ci (SHACL validator, versions pinned by tools/shacl/package-lock.json) into $dir"
		if ! (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2); then
			rm -rf "$dir/node_modules"
			shacl_unavailable "npm ci failed"
			return 0
		fi
	fi
	cp tools/shacl/validate.mjs "$dir/"
	export OPENHALL_SHACL_DIR=$dir
	SHACL_STATE="enabled (node $(node --version))"
	log "SHACL validator: $dir"
}

shacl_unavailable() {
	unset OPENHALL_SHACL_DIR
	if [[ ${OPENHALL_REQUIRE_SHACL:-} == 1 ]]; then
		die "OPENHALL_REQUIRE_SHACL=1 but the SHACL validator is unavailable: $1. Install Node.js 18+ and npm (Debian: apt-get install nodejs npm)."
	fi
	SHACL_STATE="SKIPPED ($1)"
	banner "SHACL validator unavailable: $1." \
		"THE DCAT-AP VALIDATION TEST IS SKIPPED." \
		"Install Node.js 18+ and npm (Debian: apt-get install nodejs npm)."
}
