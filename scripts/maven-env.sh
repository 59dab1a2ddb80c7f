# Sourced after find-jdk.sh by the scripts that run the Maven wrapper.
# Maven 3.9's own libraries (jansi, guava) trip JDK 24+'s native-access and sun.misc.Unsafe
# warnings on every run; they say nothing about asyncio4j, so they are switched off here
# (not in .mvn/jvm.config, which would also reach a JDK too old to know the flags).
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
