# Sourced by warhorse's scripts: sets JAVA_HOME to a JDK 25 or newer, found by itself.
# Order: $WARHORSE_JAVA_HOME, $JAVA_HOME, `java` on the PATH, then every JDK under /usr/lib/jvm and /opt.
# Bash builtins wherever they do: every external command costs a fork and an exec (4-10 ms each on a small VM),
# and this runs before every warhorse command.
warhorse_java_feature() { # sets warhorse_feature to the feature release of the JDK at $1 (25 for 25.0.1), or ""
    warhorse_feature=
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    # the JDK's release file says it without starting a JVM (each start costs 0.1-0.3 s of every launch)
    local line
    if [ -r "$1/release" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
                warhorse_feature=${BASH_REMATCH[1]}
                return 0
            fi
        done < "$1/release"
    fi
    warhorse_feature=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
}
warhorse_find_jdk() { # sets warhorse_jdk to the first JDK 25 or newer; fails if there is none
    local candidate java
    warhorse_jdk=
    for candidate in "${WARHORSE_JAVA_HOME:-}" "${JAVA_HOME:-}" "<java on the PATH>" /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
        if [ "$candidate" = "<java on the PATH>" ]; then
            java=$(command -v java 2>/dev/null) || continue
            java=$(readlink -f "$java") || continue
            candidate=${java%/*}
            candidate=${candidate%/*}
        fi
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        warhorse_java_feature "$candidate"
        if [ -n "$warhorse_feature" ] && [ "$warhorse_feature" -ge 25 ]; then
            warhorse_jdk=$candidate
            return 0
        fi
    done
    return 1
}
if ! warhorse_find_jdk; then
    echo "warhorse: needs a JDK 25 or newer; none found (looked at \$WARHORSE_JAVA_HOME, \$JAVA_HOME, java on the PATH, /usr/lib/jvm/*, /opt)." >&2
    echo "warhorse: install one (for example Debian's openjdk-25-jdk) or set WARHORSE_JAVA_HOME to its folder." >&2
    exit 1
fi
JAVA_HOME=$warhorse_jdk
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries call sun.misc.Unsafe; JDK 25 warns about it on every run.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
