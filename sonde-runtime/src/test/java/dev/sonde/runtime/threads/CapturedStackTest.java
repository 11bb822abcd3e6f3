package dev.sonde.runtime.threads;

import dev.sonde.runtime.json.JsonWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CapturedStackTest {

    @Test
    void rendersItsTextsOnceAndAsAnyStackIsRendered() {
        List<StackTraceElement> stack = StackCapture.callerStack(Set.of(), 8);
        assertThat(stack).isInstanceOf(CapturedStack.class).hasSize(8);
        CapturedStack captured = (CapturedStack) stack;

        JsonWriter frameByFrame = new JsonWriter().beginArray();
        stack.forEach(frame -> frameByFrame.value(frame.toString()));
        assertThat(captured.json()).isEqualTo(frameByFrame.endArray().toString()).isSameAs(captured.json());
        assertThat(captured.text()).isEqualTo(StackCapture.renderFrames(List.copyOf(stack)))
                .startsWith("at " + getClass().getName() + ".rendersItsTextsOnceAndAsAnyStackIsRendered(")
                .isSameAs(StackCapture.render(stack));
    }

    @Test
    void isAListOfItsFrames() {
        StackTraceElement[] frames = new Throwable().getStackTrace();
        List<StackTraceElement> stack = CapturedStack.of(frames);
        assertThat(stack).isEqualTo(List.of(frames)).hasSameHashCodeAs(List.of(frames));
        assertThat(CapturedStack.of(new StackTraceElement[0])).isEqualTo(List.of()).isNotInstanceOf(CapturedStack.class);
    }
}
