package dev.sonde.cli.console;

import dev.sonde.core.error.SondeException;

/** The result of running one console command line. */
public sealed interface Outcome {

    /** The command's name as resolved ({@code break} for {@code b}); the raw line for an unknown command. */
    String command();

    boolean ok();

    record Ok(String command, Reply reply) implements Outcome {
        @Override
        public boolean ok() {
            return true;
        }
    }

    record Failed(String command, SondeException error) implements Outcome {
        @Override
        public boolean ok() {
            return false;
        }
    }

    /** {@code quit}: the console should end. */
    record Quit(String command) implements Outcome {
        @Override
        public boolean ok() {
            return true;
        }
    }
}
