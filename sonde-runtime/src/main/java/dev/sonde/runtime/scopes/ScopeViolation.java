package dev.sonde.runtime.scopes;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Instant;
import java.util.List;

/**
 * One misuse of a scope: which scope, the thread that owns it, the thread on which the misuse was
 * seen, and the stack where the scope was entered (empty unless entry stacks are recorded).
 */
public sealed interface ScopeViolation {

    ViolationKind kind();

    Instant at();

    /** The scope's name (for JDK errors, the operation's). */
    String scope();

    /** The thread that entered the scope. */
    ThreadRef owner();

    /** The thread on which the misuse happened: the owner itself for out-of-order exits and leaks. */
    ThreadRef seenOn();

    List<StackTraceElement> entryStack();

    /** One sentence saying what happened. */
    String describe();

    record WrongThreadExit(Instant at, String scope, ThreadRef owner, ThreadRef seenOn,
                           List<StackTraceElement> entryStack) implements ScopeViolation {
        @Override
        public ViolationKind kind() {
            return ViolationKind.WRONG_THREAD;
        }

        @Override
        public String describe() {
            return "Scope '" + scope + "' entered on " + owner + " was exited on " + seenOn + ", a different thread.";
        }
    }

    record OutOfOrderExit(Instant at, String scope, ThreadRef owner, String innermostOpenScope,
                          List<StackTraceElement> entryStack) implements ScopeViolation {
        @Override
        public ViolationKind kind() {
            return ViolationKind.OUT_OF_ORDER;
        }

        @Override
        public ThreadRef seenOn() {
            return owner;
        }

        @Override
        public String describe() {
            return "Scope '" + scope + "' was exited on " + owner + " while scope '" + innermostOpenScope
                    + "', entered after it, was still open.";
        }
    }

    record DoubleExit(Instant at, String scope, ThreadRef owner, ThreadRef seenOn,
                      List<StackTraceElement> entryStack) implements ScopeViolation {
        @Override
        public ViolationKind kind() {
            return ViolationKind.DOUBLE_EXIT;
        }

        @Override
        public String describe() {
            return "Scope '" + scope + "' entered on " + owner + " was exited again on " + seenOn + " after it was already exited.";
        }
    }

    /** Why a leaked scope was found. */
    enum LeakCause {
        /** A task run by an executor that Sonde wraps ended with the scope open. */
        TASK_ENDED,
        /** The owner thread ended with the scope open. */
        THREAD_ENDED,
        /** So many scopes piled up open on the owner thread that the oldest were taken as leaked. */
        PILED_UP
    }

    record LeakedScope(Instant at, String scope, ThreadRef owner, LeakCause cause, String where,
                       List<StackTraceElement> entryStack) implements ScopeViolation {
        @Override
        public ViolationKind kind() {
            return ViolationKind.LEAK;
        }

        @Override
        public ThreadRef seenOn() {
            return owner;
        }

        @Override
        public String describe() {
            switch (cause) {
                case TASK_ENDED:
                    return "Scope '" + scope + "' entered on " + owner + " was never exited: its task in " + where + " ended first.";
                case THREAD_ENDED:
                    return "Scope '" + scope + "' entered on " + owner + " was never exited: its thread ended first.";
                default:
                    return "Scope '" + scope + "' entered on " + owner + " was never exited: " + ScopeStack.MOST_OPEN
                            + " scopes piled up open on its thread and it was among the oldest.";
            }
        }
    }

    /** A scope error that the JDK itself raised inside a tracked operation; the stack is the exception's. */
    record JdkScopeError(Instant at, String scope, ThreadRef owner, String exceptionClass, String message,
                         List<StackTraceElement> entryStack) implements ScopeViolation {
        @Override
        public ViolationKind kind() {
            return exceptionClass.equals(JdkScopeErrors.WRONG_THREAD)
                    ? ViolationKind.JDK_WRONG_THREAD : ViolationKind.JDK_STRUCTURE_VIOLATION;
        }

        @Override
        public ThreadRef seenOn() {
            return owner;
        }

        @Override
        public String describe() {
            return "Operation '" + scope + "' on " + owner + " failed with the JDK's " + exceptionClass
                    + (message == null ? "" : " (" + message + ")") + ".";
        }
    }
}
