package dev.sonde.cli.ps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.tools.attach.VirtualMachine;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.dashboard.jvm.LocalJvm;
import dev.sonde.dashboard.jvm.LocalJvms;
import dev.sonde.cli.SondeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sonde ps}: local JVMs and their debug addresses, through the Attach API. */
@Command(name = "ps",
        mixinStandardHelpOptions = true,
        description = {"List the JVMs running on this machine as this user: pid, main class, and the JDWP address",
                "when the JVM listens for a debugger (attach to it with `sonde attach ADDRESS`)."},
        footer = {"", "Examples:", "  sonde ps", "  sonde ps --json"})
public final class PsCommand implements java.util.concurrent.Callable<Integer> {

    /** One local JVM. {@code jdwp} is null when it does not listen for a debugger; {@code note} explains gaps. */
    record Jvm(long pid, String mainClass, String jdwp, String note) {
    }

    private static final Pattern JDWP_OPTION = Pattern.compile("-agentlib:jdwp=(\\S+)|-Xrunjdwp:(\\S+)");
    private static final Pattern ADDRESS = Pattern.compile("(?:^|,)address=([^,]+)");

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Option(names = "--json", description = "One JSON object per JVM per line: {\"pid\":N,\"mainClass\":...,\"jdwp\":\"HOST:PORT\"|null}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<LocalJvm> listed = LocalJvms.list();
        List<Jvm> jvms = new ArrayList<>();
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Jvm>> futures = listed.stream()
                    .map(jvm -> CompletableFuture.supplyAsync(() -> describe(jvm), probes))
                    .toList();
            for (int i = 0; i < futures.size(); i++) {
                LocalJvm jvm = listed.get(i);
                try {
                    jvms.add(futures.get(i).get(3, TimeUnit.SECONDS));
                } catch (Exception e) {
                    jvms.add(new Jvm(jvm.pid(), jvm.mainClass(), fromCommandLine(jvm.pid()).orElse(null),
                            "did not answer (held by a debugger?)"));
                }
            }
        }
        jvms.sort(Comparator.comparingLong(Jvm::pid));
        print(jvms, root.out());
        return 0;
    }

    private void print(List<Jvm> jvms, PrintStream out) throws Exception {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            for (Jvm jvm : jvms) {
                ObjectNode node = mapper.createObjectNode().put("pid", jvm.pid()).put("mainClass", jvm.mainClass()).put("jdwp", jvm.jdwp());
                if (jvm.note() != null) {
                    node.put("note", jvm.note());
                }
                out.println(mapper.writeValueAsString(node));
            }
            return;
        }
        if (jvms.isEmpty()) {
            out.println("No other JVMs found for this user.");
            return;
        }
        int width = Math.max(10, jvms.stream().mapToInt(j -> j.mainClass().length()).max().orElse(10));
        out.printf("%8s  %-" + width + "s  %s%n", "PID", "MAIN CLASS", "JDWP");
        for (Jvm jvm : jvms) {
            out.printf("%8d  %-" + width + "s  %s%n", jvm.pid(), jvm.mainClass(),
                    (jvm.jdwp() == null ? "-" : jvm.jdwp()) + (jvm.note() == null ? "" : "  (" + jvm.note() + ")"));
        }
    }

    private static Jvm describe(LocalJvm jvm) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(jvm.pid()));
            try {
                String listening = vm.getAgentProperties().getProperty("sun.jdwp.listenerAddress");
                return new Jvm(jvm.pid(), jvm.mainClass(), listening == null ? null : normalise(listening), null);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            Optional<String> configured = fromCommandLine(jvm.pid());
            return new Jvm(jvm.pid(), jvm.mainClass(), configured.orElse(null), "could not attach: " + e.getClass().getSimpleName());
        }
    }

    /** {@code dt_socket:127.0.0.1:5005} or {@code dt_socket:5005} → {@code 127.0.0.1:5005}. */
    static String normalise(String listenerAddress) {
        String address = listenerAddress.startsWith("dt_socket:") ? listenerAddress.substring("dt_socket:".length()) : listenerAddress;
        if (!address.contains(":")) {
            return "127.0.0.1:" + address;
        }
        return address.startsWith("*:") || address.startsWith("0.0.0.0:") ? "0.0.0.0:" + address.substring(address.indexOf(':') + 1) : address;
    }

    /** The address a JVM was told to listen on, from its command line (when the agent cannot be asked). */
    private static Optional<String> fromCommandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).flatMap(arguments -> {
            for (String argument : arguments) {
                Matcher option = JDWP_OPTION.matcher(argument);
                if (option.find()) {
                    String settings = option.group(1) != null ? option.group(1) : option.group(2);
                    Matcher address = ADDRESS.matcher(settings);
                    if (address.find() && settings.contains("server=y") && !address.group(1).endsWith(":0") && !address.group(1).equals("0")) {
                        return Optional.of(normalise(address.group(1)));
                    }
                }
            }
            return Optional.empty();
        });
    }
}
