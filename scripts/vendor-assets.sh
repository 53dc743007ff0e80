#!/usr/bin/env bash
# Re-creates the vendored front-end assets in portal/static/vendor/ from the npm registry.
# GOV.UK Frontend 6.3.0 (the version govuk-frontend-jinja 4.1.0 targets) and htmx 2.0.11.
# A council service is not GOV.UK: the GDS Transport font and the crest are left out and the
# stylesheet falls back to Arial; nothing in the CSS points at /assets any more.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/portal/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent govuk-frontend@6.3.0 htmx.org@2.0.11 axe-core@4.14.1 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
mkdir -p "$out/govuk" "$out/htmx" "$top/portal/testing/vendor"
gf=govuk-frontend-6.3.0/package/dist/govuk
sed -E \
  -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' \
  -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,sans-serif/g' \
  -e 's/font-family:GDS Transport([;}])/font-family:arial,sans-serif\1/g' \
  -e 's#url\(/assets/images/govuk-crest.svg\)#none#g' \
  -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
  "$gf/govuk-frontend.min.css" > "$out/govuk/govuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*##' "$gf/govuk-frontend.min.js" > "$out/govuk/govuk-frontend.min.js"
cp htmx.org-2.0.11/package/dist/htmx.min.js "$out/htmx/htmx.min.js"
cp axe-core-4.14.1/package/axe.min.js "$top/portal/testing/vendor/axe.min.js"
if grep -q -e 'GDS Transport' -e '/assets/' "$out/govuk/govuk-frontend.min.css"; then
  echo "vendor-assets: the stylesheet still names the GOV.UK font or /assets" >&2; exit 1
fi
echo "vendored into $out"
