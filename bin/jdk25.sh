# Sourced by warhorse's scripts: sets JAVA_HOME to a JDK 25 or newer, found by itself.
# Order: $WARHORSE_JAVA_HOME, $JAVA_HOME, `java` on the PATH, then every JDK under /usr/lib/jvm and /opt.
warhorse_java_feature() { # prints the feature release of the JDK at $1 (25 for 25.0.1), or nothing
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    local version
    # the JDK's release file says it without starting a JVM (each start costs 0.1-0.3 s of every launch)
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
    if [ -n "$version" ]; then
        echo "$version"
        return 0
    fi
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
warhorse_find_jdk() {
    local candidate feature
    for candidate in "${WARHORSE_JAVA_HOME:-}" "${JAVA_HOME:-}" \
            "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
            /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        feature=$(warhorse_java_feature "$candidate")
        if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
if ! JAVA_HOME=$(warhorse_find_jdk); then
    echo "warhorse: needs a JDK 25 or newer; none found (looked at \$WARHORSE_JAVA_HOME, \$JAVA_HOME, java on the PATH, /usr/lib/jvm/*, /opt)." >&2
    echo "warhorse: install one (for example Debian's openjdk-25-jdk) or set WARHORSE_JAVA_HOME to its folder." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries call sun.misc.Unsafe; JDK 25 warns about it on every run.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
