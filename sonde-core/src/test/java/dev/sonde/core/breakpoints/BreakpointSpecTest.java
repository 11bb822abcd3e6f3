package dev.sonde.core.breakpoints;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BreakpointSpecTest {

    private static final String FORMS = "; write it as File.java:LINE, pkg.Class:LINE or pkg.Class.method.";

    @Test
    void fileAndLine() {
        assertThat(BreakpointSpec.parse("Orders.java:42")).isEqualTo(new BreakpointSpec.FileLine("Orders.java", 42));
        assertThat(BreakpointSpec.parse("  Orders.java:42 ")).isEqualTo(new BreakpointSpec.FileLine("Orders.java", 42));
        BreakpointSpec.FileLine withPath = (BreakpointSpec.FileLine) BreakpointSpec.parse("src/main/java/com/acme/Orders.java:7");
        assertThat(withPath.fileName()).isEqualTo("Orders.java");
        assertThat(withPath.describe()).isEqualTo("src/main/java/com/acme/Orders.java:7");
        assertThat(((BreakpointSpec.FileLine) BreakpointSpec.parse("C:\\src\\Orders.java:3")).fileName()).isEqualTo("Orders.java");
        assertThat(BreakpointSpec.parse("app.kt:3")).isEqualTo(new BreakpointSpec.FileLine("app.kt", 3));
    }

    @Test
    void classAndLine() {
        assertThat(BreakpointSpec.parse("com.acme.Orders:42")).isEqualTo(new BreakpointSpec.ClassLine("com.acme.Orders", 42));
        assertThat(BreakpointSpec.parse("Orders:42")).isEqualTo(new BreakpointSpec.ClassLine("Orders", 42));
        assertThat(BreakpointSpec.parse("com.acme.Orders$Line:9")).isEqualTo(new BreakpointSpec.ClassLine("com.acme.Orders$Line", 9));
        assertThat(BreakpointSpec.parse("Orders:42").describe()).isEqualTo("Orders:42");
    }

    @Test
    void classAndMethod() {
        assertThat(BreakpointSpec.parse("com.acme.Orders.place")).isEqualTo(new BreakpointSpec.MethodEntry("com.acme.Orders", "place"));
        assertThat(BreakpointSpec.parse("com.acme.Orders#place")).isEqualTo(new BreakpointSpec.MethodEntry("com.acme.Orders", "place"));
        assertThat(BreakpointSpec.parse("Orders.place")).isEqualTo(new BreakpointSpec.MethodEntry("Orders", "place"));
        assertThat(BreakpointSpec.parse("Orders.<init>")).isEqualTo(new BreakpointSpec.MethodEntry("Orders", "<init>"));
        assertThat(BreakpointSpec.parse("Orders$Line.total").describe()).isEqualTo("Orders$Line.total");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Orders", "Orders.java", "Orders.java:", "Orders.java:abc", ":12", "9lives:3",
            "com..acme.Orders:3", "Orders.place()", "Orders.java:4:5x"})
    void malformedSpecsSayWhatTheFormsAre(String text) {
        SondeException error = catchThrowableOfType(SondeException.class, () -> BreakpointSpec.parse(text));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).isEqualTo("Cannot read breakpoint location '" + text.strip() + "'" + FORMS);
    }

    @Test
    void aNullSpecIsMalformedToo() {
        assertThat(catchThrowableOfType(SondeException.class, () -> BreakpointSpec.parse(null)).getMessage())
                .isEqualTo("Cannot read breakpoint location ''" + FORMS);
    }

    @Test
    void linesStartAtOne() {
        assertThat(catchThrowableOfType(SondeException.class, () -> BreakpointSpec.parse("Orders.java:0")).getMessage())
                .isEqualTo("Line numbers start at 1, not 0; give a line of the file.");
        assertThat(catchThrowableOfType(SondeException.class, () -> BreakpointSpec.parse("Orders:-4")).getMessage())
                .isEqualTo("Line numbers start at 1, not -4; give a line of the file.");
        assertThat(catchThrowableOfType(SondeException.class, () -> BreakpointSpec.parse("Orders.java:99999999999")).getMessage())
                .isEqualTo("Line number 99999999999 in 'Orders.java:99999999999' is too large; give a line of the file.");
        assertThat(catchThrowableOfType(SondeException.class, () -> new BreakpointSpec.ClassLine("a.B", 0)).kind())
                .isEqualTo(ErrorKind.INVALID_INPUT);
    }

    @Test
    void summaries() {
        BreakpointSpec spec = BreakpointSpec.parse("Orders.java:42");
        Breakpoint verified = Breakpoint.verified(3, spec, BreakpointOptions.DEFAULT, List.of(
                new Location("com.acme.Orders", "place", "Orders.java", 42), new Location("com.acme.Orders$1", "run", "Orders.java", 42)));
        Breakpoint pending = Breakpoint.unverified(4, spec, BreakpointOptions.TEMPORARY, "no class from Orders.java is loaded yet");

        assertThat(verified.summary()).isEqualTo("3 Orders.java:42 — set at Orders.place (Orders.java:42), Orders$1.run (Orders.java:42)");
        assertThat(pending.summary()).isEqualTo("4 Orders.java:42 [temporary] — pending: no class from Orders.java is loaded yet");
        assertThat(pending.locations()).isEmpty();
        assertThat(verified.reason()).isNull();
    }
}
