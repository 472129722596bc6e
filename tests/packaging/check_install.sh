#!/usr/bin/env bash
# Installs the build the way a packager does (cmake --install into a DESTDIR), makes the Debian package with
# cpack -G DEB, and checks that both hold the program and its desktop integration files, that those files are
# valid, and that the package names its dependencies. Each check is also run once on a broken input that it must
# reject, so that a pass means something.
#
# usage: check_install.sh BUILD_DIR VERSION
set -euo pipefail
build=${1:?usage: check_install.sh BUILD_DIR VERSION}
version=${2:?usage: check_install.sh BUILD_DIR VERSION}

fail() {
  echo "FAIL: $*" >&2
  return 1
}

for tool in cmake cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || { fail "$tool is missing (tools/install-deps.sh installs it)"; exit 1; }
done
[ -f "$build/CPackConfig.cmake" ] || { fail "$build has no CPackConfig.cmake: is it a configured build folder?"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

desktop_rel=share/applications/eventscope.desktop
icon_rel=share/icons/hicolor/scalable/apps/eventscope.svg
metainfo_rel=share/metainfo/io.github.eventscope.Eventscope.metainfo.xml

# An installed tree (PREFIX holds bin/ and share/): every file there, valid, and pointing at each other.
check_tree() {
  local prefix=$1
  [ -x "$prefix/bin/eventscope" ] || fail "bin/eventscope is not installed" || return 1
  local f
  for f in "$desktop_rel" "$icon_rel" "$metainfo_rel"; do
    [ -s "$prefix/$f" ] || fail "$f is not installed" || return 1
  done
  desktop-file-validate "$prefix/$desktop_rel" || fail "$desktop_rel does not validate" || return 1
  appstreamcli validate --no-net "$prefix/$metainfo_rel" >"$scratch/appstream.log" 2>&1 \
    || { cat "$scratch/appstream.log" >&2; fail "$metainfo_rel does not validate"; return 1; }
  grep -qx 'Icon=eventscope' "$prefix/$desktop_rel" || fail "the desktop file does not name the eventscope icon" \
    || return 1
  grep -qx 'Exec=eventscope gui %f' "$prefix/$desktop_rel" || fail "the desktop file does not start eventscope gui" \
    || return 1
  grep -q '<launchable type="desktop-id">eventscope.desktop</launchable>' "$prefix/$metainfo_rel" \
    || fail "the metainfo does not launch the installed desktop file" || return 1
  grep -q '<svg' "$prefix/$icon_rel" || fail "$icon_rel is not an SVG" || return 1
  local said
  said=$("$prefix/bin/eventscope" --version) || fail "the installed eventscope --version failed" || return 1
  [ "$said" = "eventscope $version" ] || fail "the installed program says '$said', not 'eventscope $version'" \
    || return 1
}

# A .deb: its control fields, the files it holds, and a stripped program that runs.
check_deb() {
  local deb=$1 control listing
  control=$(dpkg-deb -I "$deb") || fail "dpkg-deb cannot read $deb" || return 1
  field() { sed -n "s/^ $1: //p" <<<"$control"; }
  [ "$(field Package)" = eventscope ] || fail "Package is '$(field Package)', not eventscope" || return 1
  [ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version" || return 1
  [ "$(field Section)" = devel ] || fail "Section is '$(field Section)', not devel" || return 1
  [ "$(field Maintainer)" = "Eventscope developers" ] || fail "Maintainer is '$(field Maintainer)'" || return 1
  grep -qi 'event-sourced' <<<"$(field Description)" || fail "the Description does not say what Eventscope is" \
    || return 1
  local depends
  depends=$(field Depends)
  [ -n "$depends" ] || fail "the package has no Depends line" || return 1
  # libc6 and Qt Core come from dpkg-shlibdeps, libqt6svg6 from our own list: both halves must be there.
  local dep
  for dep in libc6 libqt6core6 libqt6svg6; do
    grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends" || return 1
  done
  listing=$(dpkg-deb -c "$deb") || fail "dpkg-deb cannot list $deb" || return 1
  local f
  for f in bin/eventscope "$desktop_rel" "$icon_rel" "$metainfo_rel"; do
    grep -q " \./usr/$f\$" <<<"$listing" || fail "the package lacks /usr/$f" || return 1
  done
  local outside
  outside=$(awk '$NF != "./" && $NF !~ /^\.\/usr(\/|$)/ { print $NF }' <<<"$listing")
  [ -z "$outside" ] || fail "the package installs outside /usr: $outside" || return 1
  local unpacked
  unpacked=$(mktemp -d "$scratch/unpacked.XXXXXX")
  dpkg-deb -x "$deb" "$unpacked" || fail "dpkg-deb cannot unpack $deb" || return 1
  file -L "$unpacked/usr/bin/eventscope" | grep -q 'not stripped' && { fail "the packaged program is not stripped"; return 1; }
  check_tree "$unpacked/usr"
}

# 1. cmake --install into a DESTDIR, as a distribution's packaging would.
DESTDIR="$scratch/destdir" cmake --install "$build" --prefix /usr >"$scratch/install.log" 2>&1 \
  || { cat "$scratch/install.log" >&2; fail "cmake --install failed"; exit 1; }
check_tree "$scratch/destdir/usr"
echo "PASS: cmake --install put the program, desktop file, icon and metainfo under the prefix"

# Broken trees the check must reject: a missing icon, a desktop file without a name, metainfo without a summary.
cp -a "$scratch/destdir" "$scratch/noicon"
rm "$scratch/noicon/usr/$icon_rel"
if (check_tree "$scratch/noicon/usr") 2>/dev/null; then fail "a tree without the icon passed"; exit 1; fi
cp -a "$scratch/destdir" "$scratch/noname"
sed -i '/^Name=/d' "$scratch/noname/usr/$desktop_rel"
if (check_tree "$scratch/noname/usr") >/dev/null 2>&1; then fail "a desktop file without Name passed"; exit 1; fi
cp -a "$scratch/destdir" "$scratch/nosummary"
sed -i '/<summary>/d' "$scratch/nosummary/usr/$metainfo_rel"
if (check_tree "$scratch/nosummary/usr") >/dev/null 2>&1; then fail "metainfo without a summary passed"; exit 1; fi
echo "PASS: the install checks reject a missing icon, a nameless desktop file and metainfo without a summary"

# 2. cpack -G DEB from the build's own configuration, writing only into the scratch folder.
mkdir "$scratch/pkg"
(cd "$scratch/pkg" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg") >"$scratch/cpack.log" 2>&1 \
  || { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; exit 1; }
shopt -s nullglob
debs=("$scratch"/pkg/*.deb)
shopt -u nullglob
if [ ${#debs[@]} -ne 1 ]; then
  cat "$scratch/cpack.log" >&2
  fail "cpack made ${#debs[@]} .deb files, not one"
  exit 1
fi
check_deb "${debs[0]}"
echo "PASS: $(basename "${debs[0]}") holds the same files and depends on: $(dpkg-deb -f "${debs[0]}" Depends)"

# A hand-made package with no Depends line and no desktop integration files must be rejected.
mkdir -p "$scratch/bare/DEBIAN" "$scratch/bare/usr/bin"
cp "$scratch/destdir/usr/bin/eventscope" "$scratch/bare/usr/bin/"
cat >"$scratch/bare/DEBIAN/control" <<CONTROL
Package: eventscope
Version: $version
Section: devel
Priority: optional
Architecture: $(dpkg --print-architecture)
Maintainer: Eventscope developers
Description: Explorer and admin tool for event-sourced systems
CONTROL
dpkg-deb --root-owner-group -b "$scratch/bare" "$scratch/bare.deb" >/dev/null
if (check_deb "$scratch/bare.deb") 2>/dev/null; then fail "a package without Depends passed"; exit 1; fi
echo "PASS: the package checks reject a package without Depends"
