# Finds a JDK >= 25 and exports JAVA_HOME and PATH for it. Sourced by ./test, ./showcase
# and bench/run (bash):  . "$root/scripts/find-jdk.sh"
#
# Looks, in order, at $JAVA_HOME, the `java` on PATH, then /usr/lib/jvm/*, /usr/local/*,
# /opt/*jdk*, /opt/*java* and /opt/*/ (newest version first among the folders). A JDK
# must have bin/java and bin/javac; its version comes from its `release` file, or from
# `java -version` when there is none. With no suitable JDK it prints what it found and
# exits 1 (it is sourced, so this ends the calling script).
#
# ASYNCIO4J_MIN_JAVA overrides the minimum feature version (default 25).

_asyncio4j_min_java=${ASYNCIO4J_MIN_JAVA:-25}
_asyncio4j_seen=()

# Prints the feature version (25 for "25.0.1", 1 for "1.8.0") of the JDK at $1, or nothing.
_asyncio4j_jdk_version() {
  local home=$1 v=
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1)
  fi
  [ -n "$v" ] || return 1
  v=${v%%[.+-]*}
  case "$v" in ''|*[!0-9]*) return 1 ;; esac
  printf '%s\n' "$v"
}

# Succeeds (and exports) when the JDK at $1 is new enough; remembers it otherwise.
_asyncio4j_try_jdk() {
  local home=$1 v
  [ -n "$home" ] && [ -d "$home" ] || return 1
  home=$(cd "$home" && pwd -P) || return 1
  v=$(_asyncio4j_jdk_version "$home") || return 1
  if [ "$v" -ge "$_asyncio4j_min_java" ]; then
    export JAVA_HOME="$home"
    case ":$PATH:" in
      "$home/bin:"*) ;;
      *) export PATH="$home/bin:$PATH" ;;
    esac
    return 0
  fi
  case " ${_asyncio4j_seen[*]-} " in
    *" Java $v at $home;"*) ;;
    *) _asyncio4j_seen+=("Java $v at $home;") ;;
  esac
  return 1
}

_asyncio4j_find_jdk() {
  local java dir v list=()
  _asyncio4j_try_jdk "${JAVA_HOME:-}" && return 0
  if java=$(command -v java 2>/dev/null); then
    java=$(readlink -f "$java" 2>/dev/null || printf '%s' "$java")
    _asyncio4j_try_jdk "${java%/bin/java}" && return 0
  fi
  # Folders, newest feature version first.
  for dir in /usr/lib/jvm/* /usr/local/* /opt/*jdk* /opt/*java* /opt/*/; do
    dir=${dir%/}
    [ -d "$dir" ] && [ -x "$dir/bin/javac" ] || continue
    dir=$(cd "$dir" && pwd -P) || continue
    v=$(_asyncio4j_jdk_version "$dir") || continue
    list+=("$v $dir")
  done
  if [ ${#list[@]} -gt 0 ]; then
    while read -r v dir; do
      _asyncio4j_try_jdk "$dir" && return 0
    done < <(printf '%s\n' "${list[@]}" | sort -u | sort -rn -k1,1)
  fi
  return 1
}

if ! _asyncio4j_find_jdk; then
  {
    printf 'asyncio4j needs a JDK %s or newer; found: ' "$_asyncio4j_min_java"
    if [ ${#_asyncio4j_seen[@]} -eq 0 ]; then
      printf 'no JDK'
    else
      printf '%s' "$(printf '%s ' "${_asyncio4j_seen[@]}" | sed 's/; $//')"
    fi
    printf ' ; install one (e.g. apt-get install temurin-25-jdk or openjdk-25-jdk) or set JAVA_HOME\n'
  } >&2
  exit 1
fi
unset -f _asyncio4j_jdk_version _asyncio4j_try_jdk _asyncio4j_find_jdk
unset _asyncio4j_min_java _asyncio4j_seen
