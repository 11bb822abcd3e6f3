package dev.sonde.core.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;

/**
 * Loads the Sonde agent capturing async stacks into a running local JVM through the Attach API, as
 * {@link AsyncStacksLaunch} adds it to a launched one. The agent then puts its spy on the boot class path itself
 * (Instrumentation.appendToBootstrapClassLoaderSearch). Loading into a JVM whose agent captures already is a no-op; into
 * one whose agent runs without capture (launched with {@code --agent}, or probed by {@code sonde probe}) it starts it.
 */
public final class AsyncStacksAttach {

    /** The system property the agent sets once capture runs (AsyncStacks in sonde-agent). */
    public static final String RUNNING_PROPERTY = "sonde.agent.async";

    /** What the load found. */
    public enum Outcome {
        /** Capture started now: hand-offs made from now on are captured. */
        STARTED,
        /** The agent in the target captured hand-offs already. */
        ALREADY_ON
    }

    private AsyncStacksAttach() {
    }

    /**
     * Starts async-stack capture in process {@code pid}. Blocks while the target cannot answer (every thread held by a
     * debugger, say): callers bound the wait.
     *
     * @throws AgentClient.AgentUnavailable with a clause saying why not (no sentence end: callers complete it)
     */
    public static Outcome start(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new AgentClient.AgentUnavailable("process " + pid + " has ended", null);
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new AgentClient.AgentUnavailable("the JVM " + pid + " refused the Attach API (" + oneLine(e) + "), as one started with"
                    + " -XX:+DisableAttachMechanism or run by another OS user does (start it with `sonde debug` for async stacks)", e);
        }
        try {
            if ("on".equals(vm.getSystemProperties().getProperty(RUNNING_PROPERTY))) {
                return Outcome.ALREADY_ON;
            }
            vm.loadAgent(AgentClient.agentJar().toString(), "async-only");
            if (!"on".equals(vm.getSystemProperties().getProperty(RUNNING_PROPERTY))) {
                throw new AgentClient.AgentUnavailable("the Sonde agent loaded into " + pid
                        + " but could not start capturing (the target's standard error says why)", null);
            }
            return Outcome.STARTED;
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new AgentClient.AgentUnavailable("the JVM " + pid + " refused to load the Sonde agent (" + oneLine(e)
                    + "), as one started with -XX:-EnableDynamicAgentLoading does (start it with `sonde debug` for async stacks)", e);
        } catch (IOException e) {
            throw new AgentClient.AgentUnavailable("the JVM " + pid + " stopped answering while the Sonde agent loaded (" + oneLine(e) + ")", e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the attach connection is gone already
            }
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.strip().replaceAll("\\s+", " ");
        message = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
