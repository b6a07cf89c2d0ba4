#!/bin/sh
# A root helper for tests: appends the command line (and, for commands reading stdin, "-" as
# their last argument, what they read) to $RECORD_FILE, then runs the command with that input.
# Records: "$ <argv>" then the stdin lines prefixed with "< ".
f="${RECORD_FILE:?RECORD_FILE not set}"
last=""
for a in "$@"; do last="$a"; done
printf '$ %s\n' "$*" >> "$f"
if [ "$last" = "-" ]; then
  input="$(mktemp)"
  cat > "$input"
  sed 's/^/< /' "$input" >> "$f"
  "$@" < "$input"
  rc=$?
  rm -f "$input"
  exit $rc
fi
exec "$@" < /dev/null
