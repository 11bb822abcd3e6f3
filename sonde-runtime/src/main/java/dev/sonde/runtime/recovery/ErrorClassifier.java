package dev.sonde.runtime.recovery;

import dev.sonde.runtime.operations.Outcome;
import dev.sonde.runtime.scopes.JdkScopeErrors;
import dev.sonde.runtime.scopes.ScopeViolationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * Sorts errors into {@link ErrorClass}es by rules tried in order; user rules come before the
 * built-in ones. Each error in the cause chain is tried, outermost first, so a
 * {@code RuntimeException} wrapping an {@code IOException} is TRANSIENT. Immutable.
 */
public final class ErrorClassifier {

    private record Rule(Predicate<Throwable> matches, ErrorClass errorClass) {
    }

    private static final ErrorClassifier DEFAULTS = new ErrorClassifier(List.of(
            new Rule(e -> e instanceof ScopeViolationException || JdkScopeErrors.find(e) == e, ErrorClass.SCOPE_VIOLATION),
            new Rule(e -> e instanceof CancellationException || e instanceof InterruptedException, ErrorClass.CANCELLED),
            new Rule(e -> e instanceof IOException || e instanceof UncheckedIOException
                    || e instanceof RejectedExecutionException
                    || e.getClass().getSimpleName().endsWith("TimeoutException")
                    || e.getClass().getName().startsWith("java.sql.SQLTransient"), ErrorClass.TRANSIENT),
            new Rule(e -> e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof NullPointerException || e instanceof UnsupportedOperationException
                    || e instanceof ClassCastException || e instanceof ArithmeticException
                    || e instanceof IndexOutOfBoundsException || e instanceof SecurityException, ErrorClass.PERMANENT)));

    private final List<Rule> rules;

    private ErrorClassifier(List<Rule> rules) {
        this.rules = rules;
    }

    /** The built-in rules. */
    public static ErrorClassifier defaults() {
        return DEFAULTS;
    }

    /** A classifier that puts errors of the given type (and its subtypes) in the given class before any other rule. */
    public ErrorClassifier with(Class<? extends Throwable> type, ErrorClass errorClass) {
        return with(type::isInstance, errorClass);
    }

    /** A classifier that tries the given rule before any other. */
    public ErrorClassifier with(Predicate<Throwable> rule, ErrorClass errorClass) {
        List<Rule> extended = new ArrayList<>(rules.size() + 1);
        extended.add(new Rule(rule, errorClass));
        extended.addAll(rules);
        return new ErrorClassifier(List.copyOf(extended));
    }

    public ErrorClass classify(Throwable error) {
        for (Throwable t = Outcome.unwrap(error); t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Rule rule : rules) {
                if (rule.matches().test(t)) {
                    return rule.errorClass();
                }
            }
        }
        return ErrorClass.PERMANENT;
    }
}
