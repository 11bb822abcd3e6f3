package dev.sonde.runtime.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The names under which the runtime shows itself over JMX: object names, attributes, operations and
 * the columns of its tables. Tools outside the process ({@code sonde inspect}, the dashboard, any
 * JMX client) read these; every value is an open type (simple types, {@code CompositeData},
 * {@code TabularData}), so no Sonde class is needed to read them. Durations are in milliseconds as
 * doubles, times are ISO-8601 strings, stacks are strings with one frame a line.
 */
public final class RuntimeMBeans {

    public static final String DOMAIN = "dev.sonde.runtime";

    private RuntimeMBeans() {
    }

    /** The object name of one of the runtime's MBeans, e.g. {@code objectName(Operations.NAME)}. */
    public static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalArgumentException("'" + name + "' is not a JMX object name.", impossible);
        }
    }

    /** The whole runtime. */
    public static final class Runtime {
        public static final String NAME = DOMAIN + ":type=Runtime";
        /** Attribute, String: when the runtime started. */
        public static final String START_TIME = "StartTime";
        /** Operation, no parameters, returns String: every figure as one JSON document. */
        public static final String SNAPSHOT_JSON = "snapshotJson";
        /**
         * Operation (Integer newest), returns String: the same document with only the newest N entries of each recent
         * list (failures, violations, leaks, alerts) — what a dashboard polling every second asks for.
         */
        public static final String COMPACT_SNAPSHOT_JSON = "compactSnapshotJson";

        private Runtime() {
        }
    }

    /** Tracked operations. */
    public static final class Operations {
        public static final String NAME = DOMAIN + ":type=Operations";
        /** Attribute, Long: operations in flight, of every name. */
        public static final String IN_FLIGHT = "InFlight";
        /** Attribute, TabularData indexed by {@link Columns#NAME}: one row per operation name. */
        public static final String OPERATIONS = "Operations";
        /** Attribute, TabularData indexed by {@link Columns#RANK}: asynchronous operations not ended, oldest first. */
        public static final String ASYNC_IN_FLIGHT = "AsyncInFlight";
        /** Attribute, TabularData indexed by {@link Columns#SEQUENCE}: recent failed, cancelled and timed-out operations. */
        public static final String RECENT_FAILURES = "RecentFailures";

        private Operations() {
        }
    }

    /** Scopes and their misuse. */
    public static final class Scopes {
        public static final String NAME = DOMAIN + ":type=Scopes";
        /** Attribute, String: OFF, REPORT or STRICT. */
        public static final String MODE = "Mode";
        /** Attribute, Long: scopes entered since start. */
        public static final String ENTERED = "Entered";
        /** Attribute, Long: violations since start. */
        public static final String VIOLATIONS = "Violations";
        /** Attribute, TabularData indexed by {@link Columns#KIND}: violations per kind. */
        public static final String VIOLATIONS_BY_KIND = "ViolationsByKind";
        /** Attribute, TabularData indexed by {@link Columns#SEQUENCE}: recent violations with both threads and the entry stack. */
        public static final String RECENT_VIOLATIONS = "RecentViolations";

        private Scopes() {
        }
    }

    /** Registered resources, wrapped executors. */
    public static final class Resources {
        public static final String NAME = DOMAIN + ":type=Resources";
        /** Attribute, TabularData indexed by {@link Columns#TYPE}: figures per resource type. */
        public static final String TYPES = "Types";
        /** Attribute, TabularData indexed by {@link Columns#ID}: open resources, oldest first. */
        public static final String OLDEST = "Oldest";
        /** Attribute, TabularData indexed by {@link Columns#SEQUENCE}: recent leak reports. */
        public static final String LEAKS = "Leaks";
        /** Attribute, TabularData indexed by {@link Columns#NAME}: one row per wrapped executor. */
        public static final String EXECUTORS = "Executors";

        private Resources() {
        }
    }

    /** Deadlocks and blocked threads. */
    public static final class Locks {
        public static final String NAME = DOMAIN + ":type=Locks";
        /** Attribute, TabularData indexed by {@link Columns#DEADLOCK} and {@link Columns#THREAD_ID}: threads of the deadlocks found by the last scan. */
        public static final String DEADLOCKS = "Deadlocks";
        /** Attribute, Long: deadlock cycles found since start. */
        public static final String DEADLOCKS_DETECTED = "DeadlocksDetected";
        /** Attribute, TabularData indexed by {@link Columns#THREAD_ID}: threads blocked longer than locks.blockedThreshold. */
        public static final String BLOCKED_THREADS = "BlockedThreads";
        /** Operation, no parameters, returns the {@link #DEADLOCKS} table: looks for deadlocks now. */
        public static final String FIND_DEADLOCKS = "findDeadlocks";

        private Locks() {
        }
    }

    /** Process and machine figures. */
    public static final class System {
        public static final String NAME = DOMAIN + ":type=System";
        /** Attribute, Double: 0..1, -1 when not reported. */
        public static final String PROCESS_CPU_LOAD = "ProcessCpuLoad";
        /** Attribute, Double: 0..1, -1 when not reported. */
        public static final String SYSTEM_CPU_LOAD = "SystemCpuLoad";
        /** Attributes, Long: bytes. */
        public static final String HEAP_USED = "HeapUsed";
        public static final String HEAP_COMMITTED = "HeapCommitted";
        public static final String HEAP_MAX = "HeapMax";
        public static final String NON_HEAP_USED = "NonHeapUsed";
        public static final String NON_HEAP_COMMITTED = "NonHeapCommitted";
        /** Attributes, Long: all collectors together. */
        public static final String GC_COLLECTIONS = "GcCollections";
        public static final String GC_TIME_MILLIS = "GcTimeMillis";
        /** Attribute, TabularData indexed by {@link Columns#NAME}: one row per collector. */
        public static final String GARBAGE_COLLECTORS = "GarbageCollectors";
        /** Attributes, Integer. */
        public static final String THREAD_COUNT = "ThreadCount";
        public static final String DAEMON_THREAD_COUNT = "DaemonThreadCount";
        public static final String PEAK_THREAD_COUNT = "PeakThreadCount";
        /** Attribute, CompositeData (parallelism, poolSize, mounted, queued), or null before JDK 24. */
        public static final String VIRTUAL_THREAD_SCHEDULER = "VirtualThreadScheduler";

        private System() {
        }
    }

    /** Recovery policies. */
    public static final class Recovery {
        public static final String NAME = DOMAIN + ":type=Recovery";
        /** Attribute, TabularData indexed by {@link Columns#NAME}: one row per policy name. */
        public static final String POLICIES = "Policies";

        private Recovery() {
        }
    }

    /** Key indicators and their alerts. */
    public static final class Kpis {
        public static final String NAME = DOMAIN + ":type=Kpis";
        /** Attribute, TabularData indexed by {@link Columns#NAME}: the last evaluation. */
        public static final String READINGS = "Readings";
        /** Attribute, TabularData indexed by {@link Columns#SEQUENCE}: breaches, oldest first. */
        public static final String ALERTS = "Alerts";
        /** Operation, no parameters, returns the {@link #READINGS} table: evaluates now. */
        public static final String EVALUATE = "evaluate";

        private Kpis() {
        }
    }

    /** Settings, changeable while the service runs. */
    public static final class Settings {
        public static final String NAME = DOMAIN + ":type=Settings";
        /** Attribute, TabularData indexed by {@link Columns#KEY}: key, value, default and description. */
        public static final String SETTINGS = "Settings";
        /** Operation (String key, String value), returns void: sets one value. */
        public static final String SET = "set";
        /** Operation (String propertiesText), returns void: sets {@code key=value} lines, all or none. */
        public static final String APPLY = "apply";
        /** Operation, no parameters, returns void: every setting back to its default. */
        public static final String RESET = "reset";
        /** Attribute, String: the settings file ({@code -Dsonde.runtime.config}) watched, or null when none. */
        public static final String CONFIG_FILE = "ConfigFile";
        /** Attribute, String: when the settings file was last applied (ISO-8601), or null when it never was. */
        public static final String LAST_RELOAD_AT = "LastReloadAt";
        /** Attribute, String: why the settings file's newest content was not applied, or null when it was (or there is no file). */
        public static final String LAST_ERROR = "LastError";

        private Settings() {
        }
    }

    /** Column names of the tables above. */
    public static final class Columns {
        public static final String NAME = "name";
        public static final String RANK = "rank";
        public static final String SEQUENCE = "sequence";
        public static final String KIND = "kind";
        public static final String COUNT = "count";
        public static final String AT = "at";
        public static final String SCOPE = "scope";
        public static final String OWNER = "owner";
        public static final String SEEN_ON = "seenOn";
        public static final String DESCRIPTION = "description";
        public static final String ENTRY_STACK = "entryStack";
        public static final String STARTED = "started";
        public static final String IN_FLIGHT = "inFlight";
        public static final String SUCCEEDED = "succeeded";
        public static final String FAILED = "failed";
        public static final String CANCELLED = "cancelled";
        public static final String TIMED_OUT = "timedOut";
        public static final String WINDOW_COUNT = "windowCount";
        public static final String ERROR_RATE = "errorRate";
        public static final String MEAN_MILLIS = "meanMillis";
        public static final String P50_MILLIS = "p50Millis";
        public static final String P99_MILLIS = "p99Millis";
        public static final String MAX_MILLIS = "maxMillis";
        public static final String OPERATION = "operation";
        public static final String STARTED_AT = "startedAt";
        public static final String AGE_MILLIS = "ageMillis";
        public static final String THREAD = "thread";
        public static final String OUTCOME = "outcome";
        public static final String ERROR_CLASS = "errorClass";
        public static final String MESSAGE = "message";
        public static final String DURATION_MILLIS = "durationMillis";
        public static final String TYPE = "type";
        public static final String LIVE = "live";
        public static final String OPENED = "opened";
        public static final String CLOSED = "closed";
        public static final String COLLECTED = "collected";
        public static final String OLDEST_AGE_MILLIS = "oldestAgeMillis";
        public static final String ID = "id";
        public static final String CREATED_AT = "createdAt";
        public static final String ALLOCATION_STACK = "allocationStack";
        public static final String REASON = "reason";
        public static final String QUEUED = "queued";
        public static final String RUNNING = "running";
        public static final String COMPLETED = "completed";
        public static final String REJECTED = "rejected";
        public static final String QUEUE_MEAN_MILLIS = "queueMeanMillis";
        public static final String QUEUE_P99_MILLIS = "queueP99Millis";
        public static final String DEADLOCK = "deadlock";
        public static final String THREAD_ID = "threadId";
        public static final String STATE = "state";
        public static final String WAITING_FOR = "waitingFor";
        public static final String LOCK_OWNER = "lockOwner";
        public static final String LOCKS_HELD = "locksHeld";
        public static final String STACK = "stack";
        public static final String BLOCKED_FOR_MILLIS = "blockedForMillis";
        public static final String COLLECTIONS = "collections";
        public static final String TIME_MILLIS = "timeMillis";
        public static final String PARALLELISM = "parallelism";
        public static final String POOL_SIZE = "poolSize";
        public static final String MOUNTED = "mounted";
        public static final String CALLS = "calls";
        public static final String ATTEMPTS = "attempts";
        public static final String SUCCEEDED_FIRST_TRY = "succeededFirstTry";
        public static final String RECOVERED = "recovered";
        public static final String FAILED_AFTER_RETRIES = "failedAfterRetries";
        public static final String FAILED_FAST = "failedFast";
        public static final String FALLBACKS = "fallbacks";
        public static final String RECOVERY_P50_MILLIS = "recoveryP50Millis";
        public static final String RECOVERY_P99_MILLIS = "recoveryP99Millis";
        public static final String VALUE = "value";
        public static final String THRESHOLD = "threshold";
        public static final String UNIT = "unit";
        public static final String BREACHED = "breached";
        public static final String KEY = "key";
        public static final String DEFAULT_VALUE = "defaultValue";

        private Columns() {
        }
    }
}
