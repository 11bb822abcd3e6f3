package dev.sonde.jdi;

import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Sleeper;

/**
 * A stand-in for a Sonde process, run in its own JVM by {@link DebugServerTest}: starts a debuggee under a
 * {@link ServerManager}, prints its pid, then exits ({@code exit}) or waits to be interrupted ({@code wait}).
 */
public final class ServerOwnerMain {

    private ServerOwnerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerManager servers = new ServerManager();
        DebugServer server = servers.start(JvmLaunchSpec.of(Targets.javaArgs(Sleeper.class)), (category, text) -> { });
        System.out.println("debuggee " + server.pid());
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
