package dev.sonde.jdi;

import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.EvalFixture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.stopped;

/**
 * An EvalFixture launched and stopped in its anonymous class (the {@code anonymous} marker) before a test class's tests
 * and ended after them, as the evaluation and completion tests use it: the session, the stopped thread and the index of
 * the frame of {@code run} in its stack. Register it on a {@code PER_CLASS} test class with
 * {@code @RegisterExtension final EvalFixtureStop stop = new EvalFixtureStop();}.
 */
final class EvalFixtureStop implements BeforeAllCallback, AfterAllCallback {

    private final ServerManager servers = new ServerManager();
    private Session session;
    private long thread;
    private int runFrame;

    @Override
    public void beforeAll(ExtensionContext context) {
        session = Targets.launch(servers, EvalFixture.class);
        stopped(session);
        session.addBreakpoint("EvalFixture.java:" + line(EvalFixture.class, "anonymous"));
        thread = Targets.resumeToStop(session).thread().id();
        runFrame = session.stackTrace(thread).stream().filter(f -> f.location().line() == line(EvalFixture.class, "run"))
                .mapToInt(Frame::index).findFirst().orElseThrow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (session != null) {
            session.close();
        }
        servers.close();
    }

    Session session() {
        return session;
    }

    long thread() {
        return thread;
    }

    int runFrame() {
        return runFrame;
    }
}
