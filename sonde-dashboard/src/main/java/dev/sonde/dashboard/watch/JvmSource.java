package dev.sonde.dashboard.watch;

/** How the dashboard reaches a JVM. */
public sealed interface JvmSource {

    /** An id that stays the same for the JVM's life and is safe in a URL path. */
    String id();

    /** A JVM on this machine, found by the Attach API. */
    record Local(long pid) implements JvmSource {
        @Override
        public String id() {
            return "pid-" + pid;
        }
    }

    /** A JVM elsewhere, given as a JMX service URL; credentials come from the config file only. */
    record Remote(String url, String username, String password) implements JvmSource {
        @Override
        public String id() {
            return "jmx-" + Integer.toHexString(url.hashCode());
        }

        @Override
        public String toString() {
            return "Remote[" + url + (username == null ? "" : ", user " + username) + "]";
        }
    }
}
