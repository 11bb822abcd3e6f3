package dev.sonde.cli.output;

import java.io.PrintStream;

/** Where text goes: a plain stream, or above the prompt of an interactive console. */
public interface Printer {

    /** Prints text as is; {@code error} selects the error stream where there is one. */
    void print(String text, boolean error);

    default void println(String line) {
        print(line + System.lineSeparator(), false);
    }

    default void errorln(String line) {
        print(line + System.lineSeparator(), true);
    }

    static Printer of(PrintStream out, PrintStream err) {
        return (text, error) -> {
            PrintStream stream = error ? err : out;
            synchronized (stream) {
                stream.print(text);
                stream.flush();
            }
        };
    }
}
