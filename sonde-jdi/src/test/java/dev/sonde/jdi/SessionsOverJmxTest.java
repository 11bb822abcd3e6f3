package dev.sonde.jdi;

import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.PublishedSessions;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionMBeans;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Predicate;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Every session is published in the platform MBeanServer as {@link SessionMBeans#NAME}, read here as any JMX client would. */
class SessionsOverJmxTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    @Test
    void aSessionShowsItsStateHitsStopsTimeHeldAndEventsThenStaysListedWhenItEnds() throws Exception {
        DebugServer server = Targets.serve(servers, new Output(), Counter.class);
        String id;
        try (Session session = Targets.attach(server.address())) {
            id = session.id();
            session.addBreakpoint("Counter.java:" + line(Counter.class, "tick-body"));
            stopped(session);
            resumeToStop(session);

            // Time held counts the stop in progress too, so it becomes positive while the target stays stopped; the
            // first read may come within a millisecond of the stop (the first stop was resumed at once).
            PublishedSessions.Published held = awaitSession(id, s -> s.target().pid() != null && s.heldMillis() > 0);
            assertThat(held.state()).isEqualTo(SessionState.STOPPED);
            assertThat(held.name()).isEqualTo("attach " + server.address());
            assertThat(held.backend()).isEqualTo("jdi");
            // Attached by port: the pid is found from the socket the target serves.
            assertThat(held.target()).isEqualTo(new PublishedSessions.Target(session.target().orElseThrow().description(),
                    server.pid(), server.address().host(), server.address().port()));
            assertThat(held.breakpoints()).singleElement().satisfies(b -> {
                assertThat(b.spec()).isEqualTo("Counter.java:" + line(Counter.class, "tick-body"));
                assertThat(b.kind()).isEqualTo("line");
                assertThat(b.action()).isEqualTo("stop");
                assertThat(b.enabled()).isTrue();
                assertThat(b.verified()).isTrue();
                assertThat(b.hits()).isEqualTo(2);
            });
            assertThat(held.stops()).isEqualTo(2);
            assertThat(held.heldMillis()).isPositive();
            assertThat(held.events("Stopped")).isEqualTo(2);
            assertThat(held.events("Continued")).isEqualTo(1);
            assertThat(held.endedAt()).isNull();
            assertThat(JMX.getAttribute(name(), SessionMBeans.SESSION_COUNT)).isInstanceOf(Integer.class);
        }

        PublishedSessions.Published ended = awaitSession(id, s -> s.state() == SessionState.TERMINATED);
        assertThat(ended.endReason()).isNotBlank();
        assertThat(ended.ended()).hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(ended.started()));
        assertThat(ended.breakpoints()).singleElement().extracting(PublishedSessions.PublishedBreakpoint::hits).isEqualTo(2L);
        assertThat(ended.target().pid()).isEqualTo(server.pid());
    }

    private static ObjectName name() throws Exception {
        return new ObjectName(SessionMBeans.NAME);
    }

    /** Reads the sessions through the MBeanServer until session {@code id} matches (the MBean registers in the background). */
    private static PublishedSessions.Published awaitSession(String id, Predicate<PublishedSessions.Published> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PublishedSessions.Published last = null;
        while (System.nanoTime() < deadline) {
            if (JMX.isRegistered(name())) {
                String json = (String) JMX.invoke(name(), SessionMBeans.SESSIONS_JSON, new Object[0], new String[0]);
                PublishedSessions published = PublishedSessions.parse(json);
                assertThat(published.pid()).isEqualTo(ProcessHandle.current().pid());
                last = published.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
                if (last != null && wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(Duration.ofMillis(20));
        }
        return fail("session " + id + " not published as wanted within " + WAIT + "; last seen: " + last);
    }
}
