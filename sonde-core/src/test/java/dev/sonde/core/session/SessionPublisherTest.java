package dev.sonde.core.session;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SessionPublisherTest {

    @Test
    void keepsTheLastEndedSessionsWithTheirReason() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SessionPublisher.ENDED_KEPT + 5; i++) {
            Session refused = Session.open("refused " + i,
                    () -> CompletableFuture.failedFuture(SondeException.targetGone("Nothing listens on 127.0.0.1:9.")), SessionOptions.DEFAULT);
            ids.add(refused.id());
        }

        List<PublishedSessions.Published> ended = SessionPublisher.process().published().sessions().stream()
                .filter(s -> s.state() == SessionState.TERMINATED).toList();

        assertThat(ended).hasSize(SessionPublisher.ENDED_KEPT);
        assertThat(ended).extracting(PublishedSessions.Published::id).containsExactlyElementsOf(ids.subList(5, ids.size()));
        assertThat(ended.getLast().endReason()).isEqualTo("Nothing listens on 127.0.0.1:9.");
        assertThat(ended.getLast().target()).isEqualTo(new PublishedSessions.Target(null, null, null, null));
        assertThat(ended.getLast().backend()).isNull();
    }
}
