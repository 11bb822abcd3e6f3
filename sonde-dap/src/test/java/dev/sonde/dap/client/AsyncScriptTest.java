package dev.sonde.dap.client;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.Value;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sonde.dap.client.PythonScriptTest.byName;
import static dev.sonde.dap.client.PythonScriptTest.stdout;
import static dev.sonde.dap.client.PythonScriptTest.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/** Breakpoints inside asyncio coroutines: where they stop, the coroutines' stack, and their locals. */
class AsyncScriptTest {

    private static final String ORDERS = "orders_async.py";

    @Test
    void breakpointsInCoroutinesShowTheAwaitingStackAndTheirLocals() {
        Recorder events = new Recorder();
        try (ServerManager servers = new ServerManager();
             Session session = Session.connect("orders", DapConnector.launch(PythonScripts.spec(ORDERS), servers, DapClientOptions.DEFAULT),
                     SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), Duration.ofSeconds(15), List.of(events))) {
            int fetchLine = PythonScripts.line(ORDERS, "price = PRICES[sku]");
            int totalLine = PythonScripts.line(ORDERS, "total = sum(prices)");
            Breakpoint fetch = session.addBreakpoint(new BreakpointSpec.FileLine(ORDERS, fetchLine), BreakpointOptions.TEMPORARY);
            Breakpoint total = session.addBreakpoint(ORDERS + ":" + totalLine);

            session.resume();
            Event.Stopped inFetch = stopped(session);
            assertThat(inFetch.breakpointIds()).containsExactly(fetch.id());
            long thread = inFetch.thread().id();
            List<Frame> stack = session.stackTrace(thread);
            assertThat(stack).extracting(Frame::location).extracting(Location::method)
                    .containsExactly("fetch_price", "price_order", "<module>");
            assertThat(stack).extracting(Frame::location).extracting(Location::file).containsOnly(ORDERS);
            assertThat(byName(session.variables(thread, 0))).containsOnlyKeys("sku");
            Map<String, Value> awaiting = byName(session.variables(thread, 1));
            assertThat(awaiting).containsKeys("order_id", "skus", "prices", "sku");
            assertThat(awaiting.get("prices").render()).isEqualTo("list(size=0) []");
            assertThat(session.evaluate(thread, 1, "order_id").render()).isIn("1", "2");

            List<String> orders = new ArrayList<>();
            for (int hit = 0; hit < 2; hit++) {
                session.resume();
                Event.Stopped atTotal = stopped(session);
                assertThat(atTotal.reason()).isEqualTo(StopReason.BREAKPOINT);
                assertThat(atTotal.breakpointIds()).containsExactly(total.id());
                assertThat(atTotal.location()).isEqualTo(new Location("orders_async", "price_order", ORDERS, totalLine));
                Map<String, Value> locals = byName(session.variables(atTotal.thread().id(), 0));
                orders.add(locals.get("order_id").render());
                assertThat(locals.get("prices")).isInstanceOf(Value.CollectionRef.class);
                assertThat(locals.get("prices").render()).isEqualTo(locals.get("order_id").render().equals("1")
                        ? "list(size=2) [7.25, 4.5]" : "list(size=1) [4.5]");
            }
            assertThat(orders).containsExactlyInAnyOrder("1", "2");

            session.resume();
            events.await(Event.Terminated.class, t -> true, Duration.ofSeconds(15));
            assertThat(stdout(events)).contains("totals [11.75, 4.5]\n");
        }
    }
}
