package dev.sonde.core.session;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PublishedSessionsTest {

    @Test
    void readsWhatItWrites() {
        PublishedSessions written = new PublishedSessions(42, "attach", List.of(new PublishedSessions.Published(
                "3", "attach 127.0.0.1:5005", SessionState.TERMINATED, "jdi",
                new PublishedSessions.Target("OpenJDK 64-Bit Server VM 21", 77L, "127.0.0.1", 5005),
                "2025-01-02T03:04:05Z", "2025-01-02T03:04:09.5Z", "detached",
                List.of(new PublishedSessions.PublishedBreakpoint(1, "Orders.java:42", "line", "stop", true, true, 2)),
                2, 1500, Map.of("Stopped", 2L, "Continued", 2L))));

        String json = written.toJson();
        PublishedSessions read = PublishedSessions.parse(json);

        assertThat(read).isEqualTo(written);
        assertThat(json).contains("\"state\":\"TERMINATED\"", "\"heldMillis\":1500", "\"eventsByKind\":{");
        PublishedSessions.Published session = read.sessions().getFirst();
        assertThat(session.ended()).hasValue(Instant.parse("2025-01-02T03:04:09.5Z"));
        assertThat(session.events("Stopped")).isEqualTo(2);
        assertThat(session.events("Output")).isZero();
    }

    @Test
    void unknownTargetFieldsAreNullAndNewerFieldsAreIgnored() {
        PublishedSessions read = PublishedSessions.parse("""
                {"pid":1,"command":"dap","future":true,"sessions":[{"id":"1","name":"x","state":"CONNECTING","backend":null,
                 "target":{"description":null,"pid":null,"host":null,"port":null},"startedAt":"2025-01-02T03:04:05Z",
                 "endedAt":null,"endReason":null,"breakpoints":[],"stops":0,"heldMillis":0,"eventsByKind":{}}]}""");

        assertThat(read.sessions().getFirst().target().pid()).isNull();
        assertThat(read.sessions().getFirst().ended()).isEmpty();
    }

    @Test
    void unreadableTextIsOneSentence() {
        SondeException error = catchThrowableOfType(SondeException.class, () -> PublishedSessions.parse("{\"pid\":"));
        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).startsWith("The published sessions are not readable (")
                .endsWith("run the same version on both sides.");
    }
}
