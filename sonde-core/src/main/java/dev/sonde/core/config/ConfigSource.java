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

    record File(java.nio.file.Path path) implements ConfigSource {
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
