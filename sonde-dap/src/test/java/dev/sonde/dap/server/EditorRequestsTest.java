package dev.sonde.dap.server;

import dev.sonde.fixtures.EditorRequests;
import dev.sonde.fixtures.Markers;
import org.eclipse.lsp4j.debug.BreakpointLocation;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.CompletionItem;
import org.eclipse.lsp4j.debug.CompletionItemType;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.DataBreakpoint;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.DataBreakpointInfoResponse;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.ExceptionFilterOptions;
import org.eclipse.lsp4j.debug.ExceptionInfoArguments;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.LoadedSourcesArguments;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExpressionArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepInTarget;
import org.eclipse.lsp4j.debug.StepInTargetsArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesArgumentsFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.byName;
import static dev.sonde.dap.server.Requests.evaluate;
import static dev.sonde.dap.server.Requests.localsReference;
import static dev.sonde.dap.server.Requests.resume;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.topFrame;
import static dev.sonde.dap.server.Requests.variables;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requests an editor sends beyond the basics: completions, step-in targets, breakpoint locations, data
 * breakpoints, the Statics scope, exception causes, loaded sources, setExpression, lazy toString() and paged elements.
 */
class EditorRequestsTest {

    private Adapter adapter;
    private DapClient client;
    private int stoppedThread;

    @BeforeEach
    void connect() {
        adapter = new Adapter();
        client = adapter.connect();
    }

    @AfterEach
    void end() {
        get(client.server().disconnect(new DisconnectArguments()));
        client.close();
        adapter.close();
    }

    private StackFrame stopAt(String marker) {
        client.launch(Fixtures.launch(EditorRequests.class));
        setBreakpoints(client, EditorRequests.class, at(Fixtures.line(EditorRequests.class, marker)));
        client.configurationDone();
        stoppedThread = client.stopped().getThreadId();
        return topFrame(client, stoppedThread);
    }

    @Test
    void theInitializeResponseAnnouncesEveryNewRequest() {
        Capabilities capabilities = client.initialize();
        assertThat(capabilities.getSupportsCompletionsRequest()).isTrue();
        assertThat(capabilities.getSupportsStepInTargetsRequest()).isTrue();
        assertThat(capabilities.getSupportsBreakpointLocationsRequest()).isTrue();
        assertThat(capabilities.getSupportsDataBreakpoints()).isTrue();
        assertThat(capabilities.getSupportsLoadedSourcesRequest()).isTrue();
        assertThat(capabilities.getSupportsSetExpression()).isTrue();
    }

    @Test
    void completionsStaticsSetExpressionLazyTextPagesSourcesAndLocations() {
        StackFrame frame = stopAt("ready");

        CompletionItem[] names = completions(frame.getId(), "acc", 4);
        assertThat(names).extracting(CompletionItem::getLabel).contains("account");
        assertThat(names[0].getStart()).isZero();
        assertThat(names[0].getLength()).isEqualTo(3);
        CompletionItem[] members = completions(frame.getId(), "account.", 9);
        CompletionItem deposit = Arrays.stream(members).filter(item -> item.getLabel().equals("deposit")).findFirst().orElseThrow();
        assertThat(deposit.getType()).isEqualTo(CompletionItemType.METHOD);
        assertThat(deposit.getDetail()).contains("deposit(int)");
        assertThat(members).extracting(CompletionItem::getLabel).contains("balance", "owner");

        ScopesArguments scopesArguments = new ScopesArguments();
        scopesArguments.setFrameId(frame.getId());
        Scope[] scopes = get(client.server().scopes(scopesArguments)).getScopes();
        assertThat(scopes).extracting(Scope::getName).containsExactly("Locals", "Statics");
        Map<String, Variable> statics = byName(variables(client, scopes[1].getVariablesReference()));
        assertThat(statics.get("rounds").getValue()).isEqualTo("2");
        assertThat(statics.get("GREETING").getValue()).isEqualTo("\"hello\"");

        SetExpressionArguments assign = new SetExpressionArguments();
        assign.setExpression("account.balance");
        assign.setValue("40");
        assign.setFrameId(frame.getId());
        assertThat(get(client.server().setExpression(assign)).getValue()).isEqualTo("40");
        assertThat(evaluate(client, frame.getId(), "account.balance")).isEqualTo("40");

        Map<String, Variable> locals = byName(variables(client, localsReference(client, frame.getId())));
        Map<String, Variable> account = byName(variables(client, locals.get("account").getVariablesReference()));
        Variable text = account.get("toString()");
        assertThat(text.getPresentationHint().getLazy()).isTrue();
        assertThat(variables(client, text.getVariablesReference())).extracting(Variable::getValue).containsExactly("Account of Ada holding 40");

        Variable numbers = locals.get("numbers");
        assertThat(numbers.getIndexedVariables()).isEqualTo(1000);
        assertThat(page(numbers.getVariablesReference(), 500, 3)).extracting(Variable::getName, Variable::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[500]", "500"), org.assertj.core.groups.Tuple.tuple("[501]", "501"),
                        org.assertj.core.groups.Tuple.tuple("[502]", "502"));
        Variable names1000 = locals.get("names");
        assertThat(names1000.getIndexedVariables()).isEqualTo(1000);
        assertThat(page(names1000.getVariablesReference(), 998, 5)).hasSize(2);

        Source[] sources = get(client.server().loadedSources(new LoadedSourcesArguments())).getSources();
        assertThat(sources).anySatisfy(source -> assertThat(source.getPath()).isEqualTo(Fixtures.sourcePath(EditorRequests.class)));
        assertThat(sources).noneSatisfy(source -> assertThat(source.getName()).isEqualTo("String.java"));

        int ready = Fixtures.line(EditorRequests.class, "ready");
        int twice = Fixtures.line(EditorRequests.class, "twice");
        int interfaceCall = Fixtures.line(EditorRequests.class, "interface-call");
        assertThat(locations(ready - 1, twice + 1)).contains(ready, interfaceCall, twice).doesNotContain(twice - 1, twice + 1);
    }

    @Test
    void stepInTargetsListTheCallsOfTheLineAndStepInGoesIntoTheChosenOne() {
        StackFrame frame = stopAt("calls");
        StepInTarget[] targets = stepInTargets(frame.getId());
        assertThat(targets).extracting(StepInTarget::getLabel).containsExactly(
                "EditorRequests.twice(int)", "lambda$main$0 (ToIntFunction.applyAsInt)", "EditorRequests$Account.deposit(int)");

        // The line's breakpoint covers the lambda body on it too: clear it, so only the step stops.
        setBreakpoints(client, EditorRequests.class);
        stepIn(frame, targets[2]);
        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("step");
        StackFrame landed = topFrame(client, stop.getThreadId());
        assertThat(landed.getName()).endsWith("deposit");
        assertThat(landed.getLine()).isEqualTo(Fixtures.line(EditorRequests.class, "deposit"));

        setBreakpoints(client, EditorRequests.class, at(Fixtures.line(EditorRequests.class, "calls")));
        resume(client);
        stoppedThread = client.stopped().getThreadId();
        frame = topFrame(client, stoppedThread);
        setBreakpoints(client, EditorRequests.class);
        stepIn(frame, stepInTargets(frame.getId())[1]);
        stop = client.stopped();
        landed = topFrame(client, stop.getThreadId());
        assertThat(landed.getName()).contains("lambda$main$0");
        assertThat(landed.getLine()).isEqualTo(Fixtures.line(EditorRequests.class, "calls"));
    }

    @Test
    void aColumnBreakpointOnALambdaBodyStopsInTheLambdaNotAtTheLine() {
        stopAt("ready");
        int calls = Fixtures.line(EditorRequests.class, "calls");
        int column = Markers.source(EditorRequests.class).get(calls - 1).indexOf("twice(x)") + 1;
        BreakpointLocation[] offered = locationsOf(calls, calls);
        assertThat(offered).extracting(BreakpointLocation::getLine, BreakpointLocation::getColumn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(calls, null), org.assertj.core.groups.Tuple.tuple(calls, column));

        setBreakpoints(client, EditorRequests.class, at(calls, breakpoint -> breakpoint.setColumn(column)));
        for (int x = 1; x <= 2; x++) {
            resume(client);
            StackFrame top = topFrame(client, client.stopped().getThreadId());
            assertThat(top.getName()).as("stop " + x).contains("lambda$main$0");
            assertThat(top.getLine()).isEqualTo(calls);
        }
    }

    @Test
    void aCallThroughAnInterfaceStepsIntoTheImplementation() {
        StackFrame frame = stopAt("interface-call");
        StepInTarget[] targets = stepInTargets(frame.getId());
        assertThat(targets).extracting(StepInTarget::getLabel).containsExactly("EditorRequests$Fee.of(int)");
        stepIn(frame, targets[0]);
        StackFrame landed = topFrame(client, client.stopped().getThreadId());
        assertThat(landed.getName()).endsWith("FlatFee.of");
        assertThat(landed.getLine()).isEqualTo(Fixtures.line(EditorRequests.class, "fee-body"));
    }

    @Test
    void aDataBreakpointOnAFieldStopsWhereItIsWritten() {
        StackFrame frame = stopAt("ready");
        int locals = localsReference(client, frame.getId());
        Variable account = byName(variables(client, locals)).get("account");

        DataBreakpointInfoResponse local = dataBreakpointInfo(locals, "total");
        assertThat(local.getDataId()).isNull();
        assertThat(local.getDescription()).contains("fields only");
        DataBreakpointInfoResponse balance = dataBreakpointInfo(account.getVariablesReference(), "balance");
        assertThat(balance.getDataId()).isEqualTo("dev.sonde.fixtures.EditorRequests$Account#balance");
        assertThat(balance.getAccessTypes()).contains(DataBreakpointAccessType.WRITE, DataBreakpointAccessType.READ_WRITE);

        DataBreakpoint written = new DataBreakpoint();
        written.setDataId(balance.getDataId());
        written.setAccessType(DataBreakpointAccessType.WRITE);
        SetDataBreakpointsArguments arguments = new SetDataBreakpointsArguments();
        arguments.setBreakpoints(new DataBreakpoint[] {written});
        assertThat(get(client.server().setDataBreakpoints(arguments)).getBreakpoints()[0].isVerified()).isTrue();
        resume(client);
        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("data breakpoint");
        assertThat(topFrame(client, stop.getThreadId()).getLine()).isEqualTo(Fixtures.line(EditorRequests.class, "deposit"));

        arguments.setBreakpoints(new DataBreakpoint[0]);
        assertThat(get(client.server().setDataBreakpoints(arguments)).getBreakpoints()).isEmpty();
    }

    @Test
    void exceptionInfoGivesTheWholeStackAndTheCauses() {
        client.launch(Fixtures.launch(EditorRequests.class));
        SetExceptionBreakpointsArguments caught = new SetExceptionBreakpointsArguments();
        caught.setFilters(new String[0]);
        ExceptionFilterOptions illegalState = new ExceptionFilterOptions();
        illegalState.setFilterId("caught");
        illegalState.setCondition("java.lang.IllegalStateException");
        caught.setFilterOptions(new ExceptionFilterOptions[] {illegalState});
        get(client.server().setExceptionBreakpoints(caught));
        client.configurationDone();
        StoppedEventArguments stop = client.stopped();

        ExceptionInfoArguments arguments = new ExceptionInfoArguments();
        arguments.setThreadId(stop.getThreadId());
        ExceptionInfoResponse info = get(client.server().exceptionInfo(arguments));
        assertThat(info.getExceptionId()).isEqualTo("java.lang.IllegalStateException");
        assertThat(info.getDetails().getStackTrace())
                .contains("dev.sonde.fixtures.EditorRequests.fail(EditorRequests.java:" + Fixtures.line(EditorRequests.class, "thrown") + ")")
                .contains("Caused by: java.lang.NumberFormatException: For input string: \"not a number\"");
        assertThat(info.getDetails().getInnerException()).singleElement().satisfies(cause -> {
            assertThat(cause.getFullTypeName()).isEqualTo("java.lang.NumberFormatException");
            assertThat(cause.getStackTrace()).contains("java.lang.Integer.parseInt(");
        });
    }

    private CompletionItem[] completions(int frameId, String text, int column) {
        CompletionsArguments arguments = new CompletionsArguments();
        arguments.setFrameId(frameId);
        arguments.setText(text);
        arguments.setColumn(column);
        return get(client.server().completions(arguments)).getTargets();
    }

    private Variable[] page(int reference, int start, int count) {
        VariablesArguments arguments = new VariablesArguments();
        arguments.setVariablesReference(reference);
        arguments.setFilter(VariablesArgumentsFilter.INDEXED);
        arguments.setStart(start);
        arguments.setCount(count);
        return get(client.server().variables(arguments)).getVariables();
    }

    private java.util.List<Integer> locations(int line, int endLine) {
        return Arrays.stream(locationsOf(line, endLine)).map(BreakpointLocation::getLine).toList();
    }

    private BreakpointLocation[] locationsOf(int line, int endLine) {
        BreakpointLocationsArguments arguments = new BreakpointLocationsArguments();
        Source source = new Source();
        source.setPath(Fixtures.sourcePath(EditorRequests.class));
        arguments.setSource(source);
        arguments.setLine(line);
        arguments.setEndLine(endLine);
        return get(client.server().breakpointLocations(arguments)).getBreakpoints();
    }

    private StepInTarget[] stepInTargets(int frameId) {
        StepInTargetsArguments arguments = new StepInTargetsArguments();
        arguments.setFrameId(frameId);
        return get(client.server().stepInTargets(arguments)).getTargets();
    }

    private void stepIn(StackFrame from, StepInTarget target) {
        StepInArguments arguments = new StepInArguments();
        arguments.setThreadId(stoppedThread);
        arguments.setTargetId(target.getId());
        get(client.server().stepIn(arguments));
    }

    private DataBreakpointInfoResponse dataBreakpointInfo(int reference, String name) {
        DataBreakpointInfoArguments arguments = new DataBreakpointInfoArguments();
        arguments.setVariablesReference(reference);
        arguments.setName(name);
        return get(client.server().dataBreakpointInfo(arguments));
    }
}
