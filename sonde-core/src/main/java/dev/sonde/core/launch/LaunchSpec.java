package dev.sonde.core.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start a debuggee under its debug agent. One implementation per kind of runtime. */
public sealed interface LaunchSpec permits JvmLaunchSpec, PythonLaunchSpec {

    /** Address to bind the debug port to; loopback unless {@link #allowRemote()}. */
    String bindAddress();

    /** Port to listen on; 0 lets the agent pick a free one. */
    int port();

    /** Whether a non-loopback bind is allowed. */
    boolean allowRemote();

    /** Hold the debuggee before it runs any code until a debugger attaches. */
    boolean suspend();

    /** Working directory; null for the current one. */
    Path workingDirectory();

    /** Extra environment variables. */
    Map<String, String> environment();

    /** Whether the debuggee reads this process's standard input (otherwise it sees end of input). */
    boolean inheritStdin();

    /** The command line that starts the debuggee, for display. */
    List<String> describeCommand();
}
