package dev.sonde.runtime.recovery;

import dev.sonde.runtime.scopes.ScopeViolation;
import dev.sonde.runtime.scopes.ScopeViolationException;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.threads.ThreadRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final Recovery recovery = new Recovery(settings);

    RecoveryTest() {
        settings.apply(java.util.Map.of("recovery.initialBackoff", "2ms", "recovery.maxBackoff", "20ms"));
    }

    @AfterEach
    void close() {
        recovery.close();
    }

    @Test
    void classifiesErrorsByTheBuiltInRules() {
        ErrorClassifier classifier = ErrorClassifier.defaults();

        assertThat(classifier.classify(new ConnectException("refused"))).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new TimeoutException())).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new RuntimeException(new IOException("wrapped")))).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new CompletionException(new IOException("async")))).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new IllegalArgumentException())).isEqualTo(ErrorClass.PERMANENT);
        assertThat(classifier.classify(new Exception("unknown"))).isEqualTo(ErrorClass.PERMANENT);
        assertThat(classifier.classify(new CancellationException())).isEqualTo(ErrorClass.CANCELLED);
        assertThat(classifier.classify(new InterruptedException())).isEqualTo(ErrorClass.CANCELLED);
        assertThat(classifier.classify(new WrongThreadException())).isEqualTo(ErrorClass.SCOPE_VIOLATION);
        assertThat(classifier.classify(new ScopeViolationException(new ScopeViolation.DoubleExit(Instant.now(), "s",
                ThreadRef.current(), ThreadRef.current(), List.of())))).isEqualTo(ErrorClass.SCOPE_VIOLATION);
    }

    @Test
    void userRulesComeFirst() {
        class RateLimited extends RuntimeException {
        }
        ErrorClassifier classifier = ErrorClassifier.defaults()
                .with(RateLimited.class, ErrorClass.TRANSIENT)
                .with(error -> "retry me".equals(error.getMessage()), ErrorClass.TRANSIENT);

        assertThat(classifier.classify(new RateLimited())).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new IllegalStateException("retry me"))).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(classifier.classify(new IllegalStateException("no"))).isEqualTo(ErrorClass.PERMANENT);
    }

    @Test
    void transientFailuresAreRetriedUntilTheCallRecovers() throws Exception {
        RecoveryPolicy<String> policy = recovery.<String>policy("inventory").maxAttempts(4).build();
        AtomicInteger calls = new AtomicInteger();

        String result = policy.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "in stock";
        });

        assertThat(result).isEqualTo("in stock");
        assertThat(calls).hasValue(3);
        RecoveryStats stats = onlyStats();
        assertThat(stats.calls()).isEqualTo(1);
        assertThat(stats.attempts()).isEqualTo(3);
        assertThat(stats.recovered()).isEqualTo(1);
        assertThat(stats.failedAfterRetries()).isZero();
        assertThat(stats.recoveryTime().count()).isEqualTo(1);
        assertThat(stats.recoveryTime().p99Nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastError() {
        RecoveryPolicy<String> policy = recovery.<String>policy("payments").maxAttempts(3).build();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.call(() -> {
            throw new IOException("down " + calls.incrementAndGet());
        })).isInstanceOf(IOException.class).hasMessage("down 3");

        RecoveryStats stats = onlyStats();
        assertThat(stats.attempts()).isEqualTo(3);
        assertThat(stats.failedAfterRetries()).isEqualTo(1);
        assertThat(stats.recovered()).isZero();
    }

    @Test
    void permanentErrorsFailFastWithoutRetrying() {
        RecoveryPolicy<String> policy = recovery.<String>policy("parse").fallbackValue("unused").build();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.get(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class);

        assertThat(calls).hasValue(1);
        assertThat(onlyStats().failedFast()).isEqualTo(1);
        assertThat(onlyStats().fallbacks()).isZero();
    }

    @Test
    void exhaustedRetriesFallBackWhenAFallbackIsGiven() throws Exception {
        RecoveryPolicy<String> policy = recovery.<String>policy("prices").maxAttempts(2)
                .fallback(error -> "cached after " + error.getMessage()).build();

        String price = policy.call(() -> {
            throw new ConnectException("refused");
        });

        assertThat(price).isEqualTo("cached after refused");
        assertThat(onlyStats().failedAfterRetries()).isEqualTo(1);
        assertThat(onlyStats().fallbacks()).isEqualTo(1);
        assertThat(onlyStats().attempts()).isEqualTo(2);
    }

    @Test
    void theFallbackStrategyAnswersAtOnce() throws Exception {
        RecoveryPolicy<Integer> policy = recovery.<Integer>policy("quota")
                .on(ErrorClass.PERMANENT, RecoveryStrategy.FALLBACK).fallbackValue(0).build();

        assertThat(policy.call(() -> {
            throw new IllegalStateException("no quota");
        })).isZero();
        assertThat(onlyStats().attempts()).isEqualTo(1);
        assertThat(onlyStats().fallbacks()).isEqualTo(1);
    }

    @Test
    void aFallbackStrategyWithoutAFallbackIsRefused() {
        assertThatThrownBy(() -> recovery.<String>policy("broken").on(ErrorClass.TRANSIENT, RecoveryStrategy.FALLBACK).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Recovery policy 'broken' answers some errors with a fallback but has none; call fallback(...) before build().");
    }

    @Test
    void cancellationIsNeverRetried() {
        RecoveryPolicy<String> policy = recovery.<String>policy("cancelled").build();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.get(() -> {
            calls.incrementAndGet();
            throw new CancellationException("caller gave up");
        })).isInstanceOf(CancellationException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aUserRuleMakesAnErrorRetryable() throws Exception {
        RecoveryPolicy<String> policy = recovery.<String>policy("custom")
                .classifier(ErrorClassifier.defaults().with(IllegalStateException.class, ErrorClass.TRANSIENT)).build();
        AtomicInteger calls = new AtomicInteger();

        assertThat(policy.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("busy");
            }
            return "ok";
        })).isEqualTo("ok");
        assertThat(onlyStats().recovered()).isEqualTo(1);
    }

    @Test
    void asynchronousWorkIsRetriedAndRecovers() throws Exception {
        RecoveryPolicy<String> policy = recovery.<String>policy("async").maxAttempts(3).build();
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = policy.callAsync(() -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IOException("later"))
                : CompletableFuture.supplyAsync(() -> "done"));

        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(onlyStats().recovered()).isEqualTo(1);
        assertThat(onlyStats().attempts()).isEqualTo(3);
    }

    @Test
    void asynchronousWorkGivesUpWithTheError() {
        RecoveryPolicy<String> policy = recovery.<String>policy("async-down").maxAttempts(2).build();

        CompletableFuture<String> result = policy.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));

        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .rootCause().isInstanceOf(IOException.class).hasMessage("down");
        assertThat(onlyStats().failedAfterRetries()).isEqualTo(1);
        assertThat(onlyStats().attempts()).isEqualTo(2);
    }

    @Test
    void aChangedSettingAppliesToPoliciesThatDoNotSetTheirOwn() {
        RecoveryPolicy<String> policy = recovery.<String>policy("reloaded").build();
        AtomicInteger calls = new AtomicInteger();
        settings.set("recovery.maxAttempts", "5");

        assertThatThrownBy(() -> policy.get(() -> {
            calls.incrementAndGet();
            throw new java.io.UncheckedIOException(new IOException("down"));
        })).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(calls).hasValue(5);
    }

    @Test
    void defaultPolicyByName() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String value = recovery.call("quick", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "fine";
        });

        assertThat(value).isEqualTo("fine");
        assertThat(recovery.combinedRecoveryTime().count()).isEqualTo(1);
        assertThat(Duration.ofNanos(recovery.combinedRecoveryTime().p99Nanos())).isLessThan(Duration.ofSeconds(5));
    }

    private RecoveryStats onlyStats() {
        assertThat(recovery.stats()).hasSize(1);
        return recovery.stats().get(0);
    }
}
