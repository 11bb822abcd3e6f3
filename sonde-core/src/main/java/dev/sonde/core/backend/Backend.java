package dev.sonde.core.backend;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Completion;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.StepTarget;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One debug protocol (JDWP through JDI, DAP, ...) behind Sonde's model. A {@link dev.sonde.core.session.Session}
 * owns exactly one backend; nothing above the session sees protocol types.
 *
 * <p>Every operation is asynchronous. Failures complete the future exceptionally with a
 * {@link dev.sonde.core.error.SondeException} whose message is fit for a user. Thread ids and frame
 * indexes are the backend's own; object refs in {@link Value}s are valid until the target resumes.
 */
public interface Backend {

    /**
     * Begins delivering events, in order, on a thread of the backend's. Called once, by the session.
     * The consumer must not block for long: it holds up the event stream.
     */
    void start(Consumer<Event> events);

    TargetInfo target();

    /**
     * Sets a breakpoint, or records it as pending until matching code loads. The returned breakpoint
     * says which; later changes (verified when a class loads) arrive as {@link Event.BreakpointChanged}.
     */
    CompletableFuture<Breakpoint> setBreakpoint(int id, BreakpointSpec spec, BreakpointOptions options);

    CompletableFuture<Void> clearBreakpoint(int id);

    CompletableFuture<List<ThreadInfo>> threads();

    /** Frames {@code start .. start+count-1} of a suspended thread, 0 being the top of the stack. */
    CompletableFuture<List<Frame>> stackTrace(long threadId, int start, int count);

    /**
     * The async part of a suspended thread's stack: the hand-offs that scheduled the work it runs, nearest first. Empty
     * when the target keeps no captures (no Sonde agent with async stacks) or the thread runs no scheduled work.
     */
    default CompletableFuture<List<AsyncSegment>> asyncStack(long threadId) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * {@link #asyncStack(long)}, with the lines of the scheduling machinery's frames too when {@code machineryLines}
     * (they are folded away unless asked for, so a backend may leave them out to save time).
     */
    default CompletableFuture<List<AsyncSegment>> asyncStack(long threadId, boolean machineryLines) {
        return asyncStack(threadId);
    }

    /**
     * {@code this}, the arguments and the visible locals of a frame, with objects expanded to {@code depth}
     * levels (0: summaries only).
     */
    CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth);

    /** The fields or elements of a value returned earlier, expanded to {@code depth} more levels. */
    CompletableFuture<List<Variable>> children(long ref, int depth);

    /**
     * Evaluates an expression in the context of a frame of a suspended thread.
     *
     * @param allowInvoke whether the evaluation may run code in the target (method calls, {@code new}, toString);
     *                    when false and it would need to, it fails saying so
     */
    CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke);

    /** Resumes every thread. */
    CompletableFuture<Void> resume();

    CompletableFuture<Void> resumeThread(long threadId);

    /** Suspends every thread; a {@link Event.Stopped} with reason {@code PAUSE} follows. */
    CompletableFuture<Void> pause();

    CompletableFuture<Void> pauseThread(long threadId);

    /** Steps a suspended thread; a {@link Event.Stopped} with reason {@code STEP} follows when it lands. */
    CompletableFuture<Void> step(long threadId, StepKind kind);

    /**
     * Completions for console input in the context of a frame, found without running code in the target: names in
     * scope (locals, fields of {@code this}, statics, methods), or after a dot the fields and methods of the static type
     * of the expression before it, with their signatures. {@code column} is the cursor's index in {@code text}; each
     * label replaces the identifier ending there. A backend that cannot complete gives none.
     */
    default CompletableFuture<List<Completion>> completions(long threadId, int frameIndex, String text, int column) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** Class names loaded in the target that start with {@code prefix} (for completion). */
    CompletableFuture<List<String>> classNames(String prefix);

    /**
     * The loaded classes whose names match, sorted by name, at most {@code limit} of them (with the count of all that
     * match). Backends without a class list refuse, saying so.
     */
    default CompletableFuture<ClassList> classes(ClassPattern pattern, int limit) {
        return refuse("`classes` lists a JVM's loaded classes; this target cannot list its classes.");
    }

    /** The methods a loaded class declares. {@code className} is a full name, or a simple one when it is unambiguous. */
    default CompletableFuture<ClassMethods> methods(String className) {
        return refuse("`methods` reads a JVM class's methods; this target cannot list them.");
    }

    /**
     * The instance count and the first {@code first} instances of each loaded class with this name (one per class
     * loader), read from the heap without running code in the target.
     */
    default CompletableFuture<List<Instances>> instances(String className, int first) {
        return refuse("`instances` walks a JVM's heap; this target cannot count instances.");
    }

    /**
     * Every thread's held and awaited monitors and j.u.c. locks, and the deadlocks among them. A running target is
     * suspended for the reads and resumed after them.
     */
    default CompletableFuture<MonitorReport> monitors() {
        return refuse("`monitors` reads a JVM's monitors; this target cannot show its locks.");
    }

    /**
     * Replaces loaded classes with new versions of their class files ({@code className} to bytes): new calls run the new
     * code, frames running the old code keep running it. A change the JVM does not allow (fields, methods, the hierarchy)
     * completes with {@link Redefinition.Refused}, not exceptionally. Classes the target has not loaded are not sent.
     */
    default CompletableFuture<Redefinition> redefineClasses(Map<String, byte[]> classes) {
        return refuse("Hot code replace needs a JVM target; this target cannot replace its code.");
    }

    /**
     * Drops frames {@code 0..frameIndex} of a suspended thread and steps into the call again, so the method of frame
     * {@code frameIndex} re-runs from its start (in its newest code); a {@link Event.Stopped} with reason {@code STEP}
     * follows. Fails with the reason when the frame cannot be dropped.
     */
    default CompletableFuture<Void> restartFrame(long threadId, int frameIndex) {
        return refuse("Restarting a frame needs a JVM target; this target cannot drop frames.");
    }

    private static <T> CompletableFuture<T> refuse(String sentence) {
        return CompletableFuture.failedFuture(new SondeException(ErrorKind.UNSUPPORTED, sentence));
    }

    /**
     * Children {@code start .. start+count-1} of a value returned earlier, read without reading the ones before or after
     * where the value allows it (arrays, array-backed lists), so the first page of a huge collection costs a page.
     */
    default CompletableFuture<List<Variable>> children(long ref, int start, int count, int depth) {
        return children(ref, depth).thenApply(all -> all.subList(Math.min(Math.max(0, start), all.size()),
                (int) Math.min(all.size(), (long) Math.max(0, start) + Math.max(0, count))));
    }

    /** The static fields of the class whose code a frame runs; none where the target has no such thing. */
    default CompletableFuture<List<Variable>> staticVariables(long threadId, int frameIndex) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** The calls on the current line of a frame that {@link #stepInto} can go into, in the order they run. */
    default CompletableFuture<List<StepTarget>> stepInTargets(long threadId, int frameIndex) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Steps a suspended thread into one call of its current line (one of {@link #stepInTargets}): it runs until that
     * method is entered, or stops where a step in would when the line ends without calling it.
     */
    default CompletableFuture<Void> stepInto(long threadId, StepTarget target) {
        return refuse("Stepping into a chosen call needs a JVM target; step in instead.");
    }

    /**
     * The lines from {@code fromLine} to {@code toLine} that hold code, in the loaded classes compiled from the source
     * file {@code sourcePath} ({@code com/acme/Orders.java} or {@code Orders.java}).
     */
    default CompletableFuture<List<Integer>> codeLines(String sourcePath, int fromLine, int toLine) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** The source files of the loaded classes, as paths under a source root ({@code com/acme/Orders.java}). */
    default CompletableFuture<List<String>> loadedSources() {
        return CompletableFuture.completedFuture(List.of());
    }

    /** An exception object returned earlier, with its whole stack and its causes; may run code in the target to read them. */
    default CompletableFuture<ThrowableInfo> throwable(long threadId, long ref) {
        return refuse("This target cannot read an exception's causes.");
    }

    /** What {@code toString()} of an object returned earlier says, run in a suspended thread. */
    default CompletableFuture<String> toText(long threadId, long ref) {
        return refuse("This target cannot run toString() on a value.");
    }

    /** Lets go of the target, which keeps running. A {@link Event.Terminated} follows. */
    CompletableFuture<Void> detach();

    /** Ends the target process. A {@link Event.Terminated} follows. */
    CompletableFuture<Void> terminate();
}
