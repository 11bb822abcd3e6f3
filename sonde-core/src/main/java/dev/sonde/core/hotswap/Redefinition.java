package dev.sonde.core.hotswap;

import java.util.List;
import java.util.stream.Collectors;

/** What a hot code replace did: the classes replaced and the frames still running their old code, or why the JVM refused. */
public sealed interface Redefinition {

    /** One sentence (two when old code still runs) for a user. */
    String summary();

    /**
     * The classes were replaced: new calls run the new code.
     *
     * @param classes     the classes replaced, by name
     * @param unchanged   classes given whose bytes were the ones already sent, so not sent again
     * @param notLoaded   classes given that the target has not loaded; it will load the new version when it needs them
     * @param staleFrames frames of suspended threads still running a replaced method's old code, top first per thread
     */
    record Replaced(List<String> classes, List<String> unchanged, List<String> notLoaded, List<StaleFrame> staleFrames)
            implements Redefinition {

        public Replaced {
            classes = List.copyOf(classes);
            unchanged = List.copyOf(unchanged);
            notLoaded = List.copyOf(notLoaded);
            staleFrames = List.copyOf(staleFrames);
        }

        @Override
        public String summary() {
            StringBuilder text = new StringBuilder();
            if (classes.isEmpty()) {
                text.append("Nothing to replace");
                if (!unchanged.isEmpty()) {
                    text.append(": ").append(count(unchanged.size(), "class")).append(" unchanged since last sent");
                }
                if (!notLoaded.isEmpty()) {
                    text.append(unchanged.isEmpty() ? ": " : "; ").append(count(notLoaded.size(), "class"))
                            .append(" not loaded yet (").append(String.join(", ", notLoaded)).append(")");
                }
                return text.append('.').toString();
            }
            text.append("Replaced ").append(count(classes.size(), "class")).append(" (").append(String.join(", ", classes)).append(')');
            if (!notLoaded.isEmpty()) {
                text.append("; ").append(count(notLoaded.size(), "class")).append(" not loaded yet");
            }
            text.append('.');
            if (!staleFrames.isEmpty()) {
                text.append(' ').append(staleFrames.size() == 1 ? "1 frame still runs" : staleFrames.size() + " frames still run")
                        .append(" the old code (").append(staleFrames.stream().map(StaleFrame::label).collect(Collectors.joining(", ")))
                        .append("); `restart frame` re-enters ").append(staleFrames.size() == 1 ? "it." : "them.");
            }
            return text.toString();
        }
    }

    /**
     * The JVM refused the new classes; nothing was replaced.
     *
     * @param classes the classes that were to be replaced
     * @param reason  one sentence naming the change that is not allowed and saying a restart is needed
     */
    record Refused(List<String> classes, String reason) implements Redefinition {

        public Refused {
            classes = List.copyOf(classes);
        }

        @Override
        public String summary() {
            return reason;
        }
    }

    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "es");
    }
}
