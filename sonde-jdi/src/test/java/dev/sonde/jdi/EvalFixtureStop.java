package dev.sonde.jdi;

import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.EvalFixture;

import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.stopped;

/**
 * An EvalFixture launched and stopped in its anonymous class (the {@code anonymous} marker), as the evaluation and
 * completion tests start: the session, the stopped thread and the index of the frame of {@code run} in its stack.
 */
record EvalFixtureStop(Session session, long thread, int runFrame) {

    static EvalFixtureStop inTheAnonymousClass(ServerManager servers) {
        Session session = Targets.launch(servers, EvalFixture.class);
        stopped(session);
        session.addBreakpoint("EvalFixture.java:" + line(EvalFixture.class, "anonymous"));
        long thread = Targets.resumeToStop(session).thread().id();
        int runFrame = session.stackTrace(thread).stream().filter(f -> f.location().line() == line(EvalFixture.class, "run"))
                .mapToInt(Frame::index).findFirst().orElseThrow();
        return new EvalFixtureStop(session, thread, runFrame);
    }
}
