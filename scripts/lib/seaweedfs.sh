# shellcheck shell=bash
# A throwaway S3-compatible object store (SeaweedFS, Apache-2.0) for the
# tests of the S3 blob store and of a two-node cluster. Sourced by scripts/test.
#
# SeaweedFS is a Go module, but `go install …@version` refuses it (its go.mod
# has replace directives), so the module is downloaded, copied somewhere
# writable and built there as the main module. The build takes minutes, so the
# binary is cached by version under the user cache directory
# ($XDG_CACHE_HOME or ~/.cache)/openhall/seaweedfs/<version>/weed; a later run
# (and a CI machine that keeps ~/.cache) starts at once. OPENHALL_WEED=PATH
# uses a binary built elsewhere.
#
# sw_start sets SW_TMP, SW_PID and exports OPENHALL_TEST_S3 (endpoint URL),
# OPENHALL_TEST_S3_ACCESS_KEY and OPENHALL_TEST_S3_SECRET_KEY: the gateway
# signs requests like a deployment's (an identities file with key pairs),
# not anonymous access. OPENHALL_TEST_S3_READ_ACCESS_KEY and
# OPENHALL_TEST_S3_READ_SECRET_KEY are a second pair that may read and list
# but not write. sw_cleanup stops it and removes its files.

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
WEED=""
SW_TMP=""
SW_PID=""

sw_cache_dir() {
	printf '%s/openhall/seaweedfs/%s' "${XDG_CACHE_HOME:-$HOME/.cache}" "$SEAWEEDFS_VERSION"
}

# sw_find: WEED is the binary to run, empty when it is neither given nor
# cached yet.
sw_find() {
	WEED=""
	if [[ -n ${OPENHALL_WEED:-} ]]; then
		[[ -x $OPENHALL_WEED ]] || die "OPENHALL_WEED=$OPENHALL_WEED is not an executable"
		WEED=$OPENHALL_WEED
		return 0
	fi
	local bin
	bin=$(sw_cache_dir)/weed
	[[ -x $bin ]] && WEED=$bin
	return 0
}

# sw_build: download and build SeaweedFS into the cache (under a lock, so two
# runs at once build it once), at low priority so that tests running beside
# the build keep the CPUs. Output goes to the log file given.
sw_build() {
	local logfile=$1 dir
	dir=$(sw_cache_dir)
	mkdir -p "$dir"
	(
		flock 9
		[[ -x $dir/weed ]] && exit 0
		local src moddir
		moddir=$(go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || exit 1
		[[ -n $moddir && -d $moddir ]] || {
			echo "go mod download gave no module directory" >&2
			exit 1
		}
		src=$(mktemp -d "${TMPDIR:-/tmp}/openhall-weed-src.XXXXXX")
		trap 'rm -rf "$src"' EXIT
		cp -r "$moddir/." "$src/"
		chmod -R u+w "$src"
		# GOFLAGS of the caller (e.g. -mod=vendor) must not reach this build.
		(cd "$src" && GOFLAGS=-buildvcs=false nice -n 10 go build -trimpath \
			-ldflags='-s -w' -o "$dir/weed.tmp" ./weed) || exit 1
		mv "$dir/weed.tmp" "$dir/weed"
	) 9>"$dir/.lock" >"$logfile" 2>&1
}

# sw_port_answers PORT: something accepts connections on 127.0.0.1:PORT.
sw_port_answers() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# sw_free_port: a free port whose +10000 (the gRPC port SeaweedFS opens
# beside each service) is free too.
sw_free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$(((RANDOM << 15 | RANDOM) % 30001 + 20000))
		if ! sw_port_answers "$p" && ! sw_port_answers $((p + 10000)); then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# sw_random_hex N: N random hex digits.
sw_random_hex() {
	od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n' | cut -c1-"$1"
}

# sw_start: start `weed server` all-in-one on loopback with an S3 gateway that
# requires signed requests, and wait until the gateway answers.
sw_start() {
	[[ -n $WEED ]] || die "sw_start: no SeaweedFS binary"
	local attempt
	# A port found free can be taken before the server binds it (another
	# process's outgoing connection): start again on other ports.
	for attempt in 1 2 3; do
		sw_start_once && return 0
		tail -n 30 "$SW_TMP/weed.log" >&2 || true
		sw_stop
		[[ $attempt == 3 ]] || rm -rf "$SW_TMP"
		log "SeaweedFS did not start (attempt $attempt of 3)"
	done
	die "SeaweedFS did not answer on its S3 port (log above)"
}

# sw_start_once starts the server on fresh ports and waits for its S3 port;
# it fails when the server exits or does not answer within a minute.
sw_start_once() {
	SW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/openhall-s3.XXXXXX")
	local access secret reader rsecret master volume filer s3
	access=OH$(sw_random_hex 18)
	secret=$(sw_random_hex 40)
	# A second key may read and list but not write, as a misconfigured
	# deployment's would: the tests check that a node refuses to start on it.
	reader=OR$(sw_random_hex 18)
	rsecret=$(sw_random_hex 40)
	master=$(sw_free_port) && volume=$(sw_free_port) && filer=$(sw_free_port) &&
		s3=$(sw_free_port) || return 1
	cat >"$SW_TMP/s3.json" <<-JSON
		{"identities": [{"name": "openhall", "credentials": [{"accessKey": "$access", "secretKey": "$secret"}],
		  "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
		 {"name": "reader", "credentials": [{"accessKey": "$reader", "secretKey": "$rsecret"}],
		  "actions": ["Read", "List"]}]}
	JSON
	mkdir -p "$SW_TMP/data"
	# -volume.max=0: volumes as the disk allows (the default of 8 runs out
	# when every bucket takes its own volumes).
	"$WEED" server -dir="$SW_TMP/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
		-master.port="$master" -volume.port="$volume" -filer.port="$filer" \
		-master.volumeSizeLimitMB=64 -volume.max=0 \
		-s3 -s3.port="$s3" -s3.config="$SW_TMP/s3.json" >"$SW_TMP/weed.log" 2>&1 &
	SW_PID=$!
	local i
	for i in $(seq 1 120); do
		if sw_port_answers "$s3"; then
			export OPENHALL_TEST_S3="http://127.0.0.1:$s3"
			export OPENHALL_TEST_S3_ACCESS_KEY=$access
			export OPENHALL_TEST_S3_SECRET_KEY=$secret
			export OPENHALL_TEST_S3_READ_ACCESS_KEY=$reader
			export OPENHALL_TEST_S3_READ_SECRET_KEY=$rsecret
			log "SeaweedFS $SEAWEEDFS_VERSION: S3 on $OPENHALL_TEST_S3 (data in $SW_TMP, after ${i}×0.5 s)"
			return 0
		fi
		kill -0 "$SW_PID" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

# sw_stop: SeaweedFS does not always stop on SIGTERM within seconds; give it
# three, then SIGKILL.
sw_stop() {
	[[ -n $SW_PID ]] || return 0
	kill -TERM "$SW_PID" 2>/dev/null || true
	for _ in $(seq 1 12); do
		kill -0 "$SW_PID" 2>/dev/null || break
		sleep 0.25
	done
	kill -KILL "$SW_PID" 2>/dev/null || true
	wait "$SW_PID" 2>/dev/null || true
	SW_PID=""
}

# sw_cleanup: stop the server and remove its files (its log is kept among the
# test artifacts of a failed run).
sw_cleanup() {
	[[ -n $SW_TMP ]] || return 0
	sw_stop
	if [[ ${1:-0} -ne 0 && -s $SW_TMP/weed.log && -n ${OPENHALL_TEST_ARTIFACTS:-} ]]; then
		mkdir -p "$OPENHALL_TEST_ARTIFACTS" && cp "$SW_TMP/weed.log" "$OPENHALL_TEST_ARTIFACTS/seaweedfs.log" || true
	fi
	rm -rf "$SW_TMP"
	SW_TMP=""
}

# sw_bucket NAME: create a bucket on the started server, signed with its key;
# the gateway may answer before its filer is ready, so try for 30 s.
sw_bucket() {
	local i
	for i in $(seq 1 60); do
		curl -fsS -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 \
			--user "$OPENHALL_TEST_S3_ACCESS_KEY:$OPENHALL_TEST_S3_SECRET_KEY" \
			-X PUT "$OPENHALL_TEST_S3/$1" 2>/dev/null && return 0
		sleep 0.5
	done
	die "could not create bucket $1 on $OPENHALL_TEST_S3"
}
