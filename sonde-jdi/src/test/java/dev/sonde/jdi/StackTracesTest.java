package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.Stepper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.rendered;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/** Stacks of a stopped thread: frame 0 at the top, paging, frame selection and the frame-range error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StackTracesTest {

    private static final String FILE = "Stepper.java";
    private static final String CLASS = "dev.sonde.fixtures.Stepper";

    private final ServerManager servers = new ServerManager();
    private Session session;
    private long thread;

    @BeforeAll
    void stopInInner() {
        session = Targets.launch(servers, Stepper.class);
        stopped(session);
        session.addBreakpoint("Stepper.inner");
        thread = Targets.resumeToStop(session).thread().id();
    }

    @AfterAll
    void end() {
        session.close();
        servers.close();
    }

    @Test
    void frameZeroIsTheTopOfTheStack() {
        List<Frame> frames = session.stackTrace(thread);

        assertThat(frames).containsExactly(
                new Frame(0, new Location(CLASS, "inner", FILE, line(Stepper.class, "inner-body")), false),
                new Frame(1, new Location(CLASS, "outer", FILE, line(Stepper.class, "outer-call-inner")), false),
                new Frame(2, new Location(CLASS, "main", FILE, line(Stepper.class, "call-outer")), false));
        assertThat(frames.get(1).location().toString()).isEqualTo("Stepper.outer (Stepper.java:" + line(Stepper.class, "outer-call-inner") + ")");
        assertThat(frames.get(1).location().sourcePath()).isEqualTo("dev/sonde/fixtures/Stepper.java");
    }

    @Test
    void stacksPageWithStartAndCount() {
        assertThat(session.stackTrace(thread, 0, 1)).extracting(Frame::index, f -> f.location().method()).containsExactly(
                org.assertj.core.api.Assertions.tuple(0, "inner"));
        assertThat(session.stackTrace(thread, 1, 1)).extracting(f -> f.location().method()).containsExactly("outer");
        assertThat(session.stackTrace(thread, 1, 10)).extracting(Frame::index).containsExactly(1, 2);
        assertThat(session.stackTrace(thread, 2, 5)).extracting(f -> f.location().method()).containsExactly("main");
        assertThat(session.stackTrace(thread, 3, 5)).isEmpty();
        assertThat(session.stackTrace(thread, 50, 5)).isEmpty();
        assertThat(session.stackTrace(thread, 0, 0)).isEmpty();
    }

    @Test
    void eachFrameHasItsOwnVariables() {
        assertThat(rendered(session.variables(thread, 0))).containsExactly(org.assertj.core.api.Assertions.entry("value", "1"));
        assertThat(rendered(session.variables(thread, 1))).containsExactly(org.assertj.core.api.Assertions.entry("value", "1"));
        assertThat(rendered(session.variables(thread, 2))).containsKeys("args", "start").containsEntry("start", "1");
        assertThat(session.evaluate(thread, 2, "start").render()).isEqualTo("1");
    }

    @Test
    void aFrameOutOfRangeIsNamedWithTheStackSize() {
        SondeException tooDeep = failure(() -> session.variables(thread, 3));
        assertThat(tooDeep.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(tooDeep.getMessage()).isEqualTo("There is no frame 3; the stack has 3 frames (0 is the top).");

        assertThat(failure(() -> session.variables(thread, -1)).getMessage())
                .isEqualTo("There is no frame -1; the stack has 3 frames (0 is the top).");
        assertThat(failure(() -> session.evaluate(thread, 7, "value")).getMessage())
                .isEqualTo("There is no frame 7; the stack has 3 frames (0 is the top).");
        SondeException negativeStart = failure(() -> session.stackTrace(thread, -1, 2));
        assertThat(negativeStart.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(negativeStart.getMessage()).isEqualTo("There is no frame -1; frames are numbered from 0 (the top).");
        SondeException negativeCount = failure(() -> session.stackTrace(thread, 0, -2));
        assertThat(negativeCount.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(negativeCount.getMessage()).isEqualTo("Cannot read -2 frames; ask for 0 or more.");

        // The session is unharmed.
        assertThat(session.stackTrace(thread)).hasSize(3);
    }
}
