package dev.sonde.core.config;

/** Where a setting's value came from. */
public sealed interface ConfigSource {

    String describe();

    record Default() implements ConfigSource {
        @Override
        public String describe() {
            return "default";
        }
    }

    /**
     * A config file. {@code foundInWorkingDirectory} when Sonde found it there by name rather than being given it with
     * {@code --config} or {@code SONDE_CONFIG}: such a file may have come with a cloned repository, so it may not widen a bind.
     */
    record File(java.nio.file.Path path, boolean foundInWorkingDirectory) implements ConfigSource {

        /** A file the user named. */
        public File(java.nio.file.Path path) {
            this(path, false);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    record Environment(String variable) implements ConfigSource {
        @Override
        public String describe() {
            return "env " + variable;
        }
    }

    record Flag(String flag) implements ConfigSource {
        @Override
        public String describe() {
            return "flag " + flag;
        }
    }
}
