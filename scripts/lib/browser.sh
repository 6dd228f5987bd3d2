# shellcheck shell=bash disable=SC2034 # CHROMIUM is read by scripts/test
# Locating Chromium for the browser tests. Sourced by scripts/test.
#
# Sets CHROMIUM (empty when none) and exports OPENHALL_CHROMIUM.

CHROMIUM=""

# chromium_find: OPENHALL_CHROMIUM, else the same list that
# internal/testutil.ChromiumPath looks up.
chromium_find() {
	local c p
	if [[ -n ${OPENHALL_CHROMIUM:-} ]]; then
		p=$(command -v "$OPENHALL_CHROMIUM" 2>/dev/null) ||
			die "OPENHALL_CHROMIUM=$OPENHALL_CHROMIUM is not an executable"
		CHROMIUM=$p
		return 0
	fi
	for c in /usr/bin/chromium chromium chromium-browser google-chrome; do
		if p=$(command -v "$c" 2>/dev/null); then
			CHROMIUM=$p
			return 0
		fi
	done
	return 0
}

# cjk_fonts_ensure: OpenHall's pages are Chinese; without a CJK font every
# character in a screenshot is a box. fonts-wqy-microhei is small (1.6 MB).
# Installed only where Chromium itself would be (root with apt-get, browser
# tests required); elsewhere just a note.
cjk_fonts_ensure() {
	command -v fc-list >/dev/null 2>&1 || return 0
	[[ -z $(fc-list :lang=zh family 2>/dev/null) ]] || return 0
	if [[ ${OPENHALL_REQUIRE_BROWSER:-} == 1 ]] && can_apt_install; then
		apt_install fonts-wqy-microhei || log "could not install a CJK font; screenshots will show boxes for Chinese text"
	else
		log "note: no Chinese font installed, screenshots will show boxes for Chinese text (apt-get install fonts-wqy-microhei)"
	fi
}
