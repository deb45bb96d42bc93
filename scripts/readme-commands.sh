#!/usr/bin/env bash
# Rewrites README.md's command list (between the commands:begin/end markers) from the
# command table: `strata-server --commands`. A test fails while the two disagree.
#
#   scripts/readme-commands.sh [build-dir]
set -euo pipefail
build=${1:-build}
list=$("./$build/strata-server" --commands)
python3 - "$list" <<'PY'
import sys
begin, end = "<!-- commands:begin -->\n", "<!-- commands:end -->"
text = open("README.md").read()
a, b = text.index(begin) + len(begin), text.index(end)
open("README.md", "w").write(text[:a] + sys.argv[1] + "\n" + text[b:])
PY
